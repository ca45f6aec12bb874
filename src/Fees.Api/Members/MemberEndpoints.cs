using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Members;
using Fees.Domain.Time;
using Fees.Persistence;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Members;
using Fees.Persistence.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Members;

public sealed record MemberListItem(string MemberNo, string FullName, string Status, string Category, string? OrgCode, string? OrgName);
public sealed record MemberPage(int Total, int Page, IReadOnlyList<MemberListItem> Items);
public sealed record PlacementView(string OrgCode, string OrgName, string Kind, DateOnly ValidFrom, DateOnly? ValidTo, string RecordedBy, string? Reference);
public sealed record MemberView(string MemberNo, string FullName, string Status, string Category, string CategoryName, DateOnly BirthDate, string Sex,
    DateOnly PartyJoinedOn, string? OrgCode, string? OrgName, IReadOnlyList<PlacementView> History);
public sealed record MoveRequest(string? ToOrgCode, string? Kind, DateOnly? EffectiveFrom, DateOnly? Until, string? Reference);

public static class MemberEndpoints
{
    public static void MapMembers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/members");
        group.MapGet("", Search).RequireAuthorization(Policies.Staff).ProducesProblems(400)
            .TracesAccess(AccessActions.MemberSearch, targetKind: AccessTargetKind.None);
        group.MapGet("/{memberNo}", Get).RequireAuthorization(Policies.SignedIn).ProducesProblems(404)
            .TracesAccess(AccessActions.MemberRead, targetRouteValue: "memberNo");
        group.MapPost("/{memberNo}/moves", Move).RequireAuthorization(Policies.Importers).ProducesProblems(400, 404, 409);
    }

    private static async Task<Results<Ok<MemberPage>, ProblemHttpResult>> Search(string? q, int? page, Actor user, FeesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (Paging.Check(page) is { } bad)
        {
            return bad;
        }
        var today = VietnamTime.Today(clock);
        var members = MemberLists.Search(db.Members.AsNoTracking().Visible(db, user, today), q);
        int total = await members.CountAsync(ct);
        int p = page ?? 1;
        var items = await MemberLists.Page(members, p, db, today).ToListAsync(ct);
        return TypedResults.Ok(new MemberPage(total, p, items));
    }

    private static async Task<Results<Ok<MemberView>, ProblemHttpResult>> Get(string memberNo, Actor user, ScopedLookup lookup, FeesDbContext db, TimeProvider clock,
        CancellationToken ct)
    {
        var found = await lookup.Member(memberNo, user, ct);
        if (!found.TryGet(out var access, out var refusal))
        {
            return Problems.From(refusal);
        }
        var today = VietnamTime.Today(clock);
        var member = await db.Members.AsNoTracking().FirstAsync(m => m.Id == access.Id, ct);
        var history = (await (
            from p in db.Placements.AsNoTracking()
            join o in db.Orgs on p.OrgId equals o.Id
            where p.MemberId == access.Id
            orderby p.ValidFrom descending, p.Id descending
            select new { p, o.Code, o.Name, o.Path }).ToListAsync(ct))
            .Where(h => access.OwedInScope(h.Path))
            .ToList();
        var current = history.FirstOrDefault(h => h.p.Kind == PlacementKind.Official && h.p.IsInForceOn(today));
        return TypedResults.Ok(new MemberView(member.MemberNo, member.FullName, member.Status.ToCode(), member.Category.ToCode(), member.Category.ToVietnamese(),
            member.BirthDate, member.Sex.ToCode(), member.PartyJoinedOn, current?.Code, current?.Name,
            history.Select(h => new PlacementView(h.Code, h.Name, h.p.Kind.ToCode(), h.p.ValidFrom, h.p.ValidTo, h.p.RecordedBy, h.p.Reference)).ToList()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Move(string memberNo, MoveRequest request, Actor user, ScopedLookup lookup, MemberMoves moves,
        CancellationToken ct)
    {
        var found = await lookup.Member(memberNo, user, ct);
        if (!found.TryGet(out var access, out var refusal))
        {
            return Problems.From(refusal);
        }
        var moved = await moves.Move(access, request.ToOrgCode, request.Kind, request.EffectiveFrom, request.Until, request.Reference, user, ct);
        return moved.Succeeded ? TypedResults.NoContent() : Problems.From(moved.Refusal);
    }
}

/// <summary>Member lists: search by number or name, one page of 50 with their current organization.</summary>
internal static class MemberLists
{
    public const int PageSize = 50;

    public static IQueryable<Member> Search(IQueryable<Member> members, string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return members;
        }
        string pattern = "%" + Scopes.EscapeLike(q.Trim()) + "%";
        return members.Where(m => EF.Functions.ILike(m.MemberNo, pattern) || EF.Functions.ILike(m.FullName, pattern));
    }

    public static IQueryable<MemberListItem> Page(IQueryable<Member> members, int page, FeesDbContext db, DateOnly today) =>
        from m in members.OrderBy(m => m.FullName).ThenBy(m => m.MemberNo).Skip((page - 1) * PageSize).Take(PageSize)
        let placement = db.Placements.InForce(today).Where(p => p.MemberId == m.Id && p.Kind == PlacementKind.Official).FirstOrDefault()
        let org = db.Orgs.FirstOrDefault(o => placement != null && o.Id == placement.OrgId)
        select new MemberListItem(m.MemberNo, m.FullName, m.Status.ToCode(), m.Category.ToCode(), org == null ? null : org.Code, org == null ? null : org.Name);
}

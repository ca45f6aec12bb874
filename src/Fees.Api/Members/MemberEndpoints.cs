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
public sealed record TransferRequestBody(string? ToOrgCode, DateOnly? EffectiveFrom, string? Reference);
public sealed record TransferDecisionBody(string? Reason);

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

        // Chuyển sinh hoạt đảng to an organization outside the sender's subtree: a request the receiving side accepts.
        group.MapPost("/{memberNo}/transfer-requests", RequestTransfer).RequireAuthorization(Policies.Importers).ProducesProblems(400, 404, 409, 422);
        var transfers = app.MapGroup("/api/transfer-requests").RequireAuthorization(Policies.Importers);
        transfers.MapGet("", ListTransfers).ProducesProblems(400)
            .TracesAccess(AccessActions.TransferRequestsRead, targetKind: AccessTargetKind.None);
        transfers.MapGet("/{requestId:long}", GetTransfer).ProducesProblems(404)
            .TracesAccess(AccessActions.TransferRequestsRead, targetKind: AccessTargetKind.None);
        transfers.MapPost("/{requestId:long}/accept", AcceptTransfer).ProducesProblems(404, 409);
        transfers.MapPost("/{requestId:long}/reject", RejectTransfer).ProducesProblems(400, 404, 409);
        transfers.MapPost("/{requestId:long}/cancel", CancelTransfer).ProducesProblems(400, 404, 409);
    }

    private static async Task<Results<Ok<MemberPage>, ProblemHttpResult>> Search(string? q, int? page, Actor user, FeesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if ((Paging.Check(page) ?? Paging.CheckSearch(q)) is { } bad)
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

    /// <summary>The sending side asks an organization outside its subtree to take the member (201 with the request).</summary>
    private static async Task<Results<Created<MemberTransferView>, ProblemHttpResult>> RequestTransfer(string memberNo, TransferRequestBody request, Actor user,
        ScopedLookup lookup, MemberTransfers transfers, CancellationToken ct)
    {
        var found = await lookup.Member(memberNo, user, ct);
        if (!found.TryGet(out var access, out var refusal))
        {
            return Problems.From(refusal);
        }
        var requested = await transfers.Request(access, request.ToOrgCode, request.EffectiveFrom, request.Reference, user, ct);
        return requested.Succeeded
            ? TypedResults.Created($"/api/transfer-requests/{requested.Value.Id}", requested.Value)
            : Problems.From(requested.Refusal);
    }

    /// <summary>
    /// Transfer requests into (<c>direction=incoming</c>) or out of (<c>outgoing</c>) the caller's subtree, or both;
    /// <c>status</c> one of requested, accepted, rejected, cancelled; 50 a page, newest first.
    /// </summary>
    private static async Task<Results<Ok<MemberTransferPage>, ProblemHttpResult>> ListTransfers(string? direction, string? status, int? page, Actor user,
        MemberTransfers transfers, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var side = direction switch
        {
            null => TransferDirection.Both,
            "incoming" => TransferDirection.Incoming,
            "outgoing" => TransferDirection.Outgoing,
            _ => (TransferDirection?)null,
        };
        if (side is null)
        {
            errors["direction"] = ["Chiều đề nghị là incoming (chuyển đến) hoặc outgoing (chuyển đi)."];
        }
        MemberTransferStatus? wanted = null;
        if (status is not null)
        {
            if (MemberTransferStatusCodes.TryParse(status, out var parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors["status"] = ["Trạng thái là requested, accepted, rejected hoặc cancelled."];
            }
        }
        if (Paging.Check(page) is { } badPage)
        {
            return badPage;
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        return TypedResults.Ok(await transfers.List(user, side!.Value, wanted, page ?? 1, ct));
    }

    private static async Task<Results<Ok<MemberTransferView>, ProblemHttpResult>> GetTransfer(long requestId, Actor user, MemberTransfers transfers,
        CancellationToken ct) =>
        Answer(await transfers.Get(requestId, user, ct));

    /// <summary>The receiving side accepts: the member is placed there (as a move inside one subtree is), once.</summary>
    private static async Task<Results<Ok<MemberTransferView>, ProblemHttpResult>> AcceptTransfer(long requestId, Actor user, MemberTransfers transfers,
        CancellationToken ct) =>
        Answer(await transfers.Accept(requestId, user, ct));

    /// <summary>The receiving side refuses, with a reason (required).</summary>
    private static async Task<Results<Ok<MemberTransferView>, ProblemHttpResult>> RejectTransfer(long requestId, TransferDecisionBody decision, Actor user,
        MemberTransfers transfers, CancellationToken ct) =>
        Answer(await transfers.Reject(requestId, decision.Reason, user, ct));

    /// <summary>The sending side withdraws its request (a reason is optional, and so is the body).</summary>
    private static async Task<Results<Ok<MemberTransferView>, ProblemHttpResult>> CancelTransfer(long requestId, TransferDecisionBody? decision, Actor user,
        MemberTransfers transfers, CancellationToken ct) =>
        Answer(await transfers.Cancel(requestId, decision?.Reason, user, ct));

    private static Results<Ok<MemberTransferView>, ProblemHttpResult> Answer(Fees.Domain.Outcomes.Outcome<MemberTransferView> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value) : Problems.From(outcome.Refusal);

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

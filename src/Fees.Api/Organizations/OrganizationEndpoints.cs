using Fees.Api.Hosting;
using Fees.Api.Members;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Banking;
using Fees.Domain.Organizations;
using Fees.Domain.Time;
using Fees.Persistence;
using Fees.Persistence.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Organizations;

public sealed record BankAccountView(string Bin, string? BankName, string AccountNumber, string AccountName);
public sealed record OrgSummary(string Code, string Name, string Kind, string Setting, int WageRegion, bool HasBankAccount);
public sealed record OrgPage(int Page, IReadOnlyList<OrgSummary> Items);
public sealed record OrgView(string Code, string Name, string Kind, string KindName, string? ParentCode, string ProvinceCode, string Setting,
    int WageRegion, BankAccountView? BankAccount, int ChildCount, int MemberCount);

public static class OrganizationEndpoints
{
    public const int PageSize = 50;

    public static void MapOrganizations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/orgs").RequireAuthorization(Policies.Staff);
        group.MapGet("", Search).ProducesProblems(400);
        group.MapGet("/{code}", Get).ProducesProblems(404);
        group.MapGet("/{code}/children", Children).ProducesProblems(404);
        group.MapGet("/{code}/members", Members).ProducesProblems(400, 404);
    }

    /// <summary>Organizations in scope whose code or name contains <c>q</c>; without <c>q</c>, the top of the user's scope.</summary>
    private static async Task<Results<Ok<OrgPage>, ProblemHttpResult>> Search(string? q, int? page, Actor user, FeesDbContext db, CancellationToken ct)
    {
        if ((Paging.Check(page) ?? Paging.CheckSearch(q)) is { } bad)
        {
            return bad;
        }
        var orgs = db.Orgs.AsNoTracking().Visible(user);
        if (string.IsNullOrWhiteSpace(q))
        {
            orgs = user.IsAdmin ? orgs.Where(o => o.ParentId == null) : orgs.Where(o => o.Id == user.OrgId);
        }
        else
        {
            string pattern = "%" + Scopes.EscapeLike(q.Trim()) + "%";
            orgs = orgs.Where(o => EF.Functions.ILike(o.Code, pattern) || EF.Functions.ILike(o.Name, pattern));
        }
        int p = page ?? 1;
        var items = await orgs.OrderBy(o => o.Path).Skip((p - 1) * PageSize).Take(PageSize).Select(Summary).ToListAsync(ct);
        return TypedResults.Ok(new OrgPage(p, items));
    }

    private static async Task<Results<Ok<OrgView>, ProblemHttpResult>> Get(string code, Actor user, ScopedLookup lookup, FeesDbContext db, TimeProvider clock,
        CancellationToken ct)
    {
        var found = await lookup.Org(code, user, ct);
        if (!found.TryGet(out var org, out var refusal))
        {
            return Problems.From(refusal);
        }
        var today = VietnamTime.Today(clock);
        string? parentCode = org.ParentId is null ? null : await db.Orgs.Where(o => o.Id == org.ParentId).Select(o => o.Code).FirstAsync(ct);
        int children = await db.Orgs.CountAsync(o => o.ParentId == org.Id, ct);
        int members = await db.Placements.InForce(today).Where(p => p.OrgId == org.Id).Select(p => p.MemberId).Distinct().CountAsync(ct);
        BankAccountView? bank = org.HasBankAccount
            ? new BankAccountView(org.BankBin!, NapasBanks.TryFind(org.BankBin!, out var b) ? b.ShortName : null, org.BankAccount!, org.BankAccountName!)
            : null;
        return TypedResults.Ok(new OrgView(org.Code, org.Name, org.Kind.ToCode(), org.Kind.ToVietnamese(), parentCode, org.ProvinceCode,
            org.Setting.ToCode(), (int)org.WageRegion, bank, children, members));
    }

    private static async Task<Results<Ok<List<OrgSummary>>, ProblemHttpResult>> Children(string code, Actor user, ScopedLookup lookup, FeesDbContext db,
        CancellationToken ct)
    {
        var found = await lookup.Org(code, user, ct);
        if (!found.TryGet(out var org, out var refusal))
        {
            return Problems.From(refusal);
        }
        return TypedResults.Ok(await db.Orgs.AsNoTracking().Where(o => o.ParentId == org.Id).OrderBy(o => o.Code).Select(Summary).ToListAsync(ct));
    }

    /// <summary>Members placed in the organization today (or in its whole subtree with <c>subtree=true</c>), optionally searched.</summary>
    private static async Task<Results<Ok<MemberPage>, ProblemHttpResult>> Members(string code, string? q, bool? subtree, int? page, Actor user, ScopedLookup lookup,
        FeesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if ((Paging.Check(page) ?? Paging.CheckSearch(q)) is { } bad)
        {
            return bad;
        }
        var found = await lookup.Org(code, user, ct);
        if (!found.TryGet(out var org, out var refusal))
        {
            return Problems.From(refusal);
        }
        var today = VietnamTime.Today(clock);
        string path = org.Path;
        long orgId = org.Id;
        var orgIds = subtree == true
            ? db.Orgs.Where(o => o.Path.StartsWith(path)).Select(o => o.Id)
            : db.Orgs.Where(o => o.Id == orgId).Select(o => o.Id);
        var placed = db.Placements.InForce(today).Where(p => orgIds.Contains(p.OrgId));
        var members = db.Members.AsNoTracking().Where(m => placed.Any(p => p.MemberId == m.Id));
        members = MemberLists.Search(members, q);
        int total = await members.CountAsync(ct);
        int p = page ?? 1;
        var items = await MemberLists.Page(members, p, db, today).ToListAsync(ct);
        return TypedResults.Ok(new MemberPage(total, p, items));
    }

    private static readonly System.Linq.Expressions.Expression<Func<OrgUnit, OrgSummary>> Summary = o =>
        new OrgSummary(o.Code, o.Name, o.Kind.ToCode(), o.Setting.ToCode(), (int)o.WageRegion, o.BankBin != null);
}

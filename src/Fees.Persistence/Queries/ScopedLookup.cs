using Fees.Domain.Accounts;
using Fees.Domain.Organizations;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;
using Microsoft.EntityFrameworkCore;

namespace Fees.Persistence.Queries;

/// <summary>
/// A member as an actor may see them. <see cref="Whole"/>: the member themselves, an admin, or staff of the subtree the
/// member belongs to today may act on the member (moves, decisions, payment codes). What anyone but the member and an
/// admin reads of the member's history is the part owed to organizations in their own scope
/// (<see cref="OwedInScope"/>): after a move the former organization's staff see what was owed there, and the new
/// organization's staff what is owed to it, neither the other's.
/// </summary>
public sealed record MemberInScope(long Id, string MemberNo, bool Whole, string ScopePrefix)
{
    /// <summary>Is a statement owed to (a placement at) an organization with this path part of what the actor sees?</summary>
    public bool OwedInScope(string orgPath)
    {
        ArgumentNullException.ThrowIfNull(orgPath);
        return orgPath.StartsWith(ScopePrefix, StringComparison.Ordinal);
    }
}

/// <summary>
/// The one lookup of "the organization or member named in the request, if the actor may see it": not found (404),
/// outside the role or scope (403), or the thing.
/// </summary>
public sealed class ScopedLookup(FeesDbContext db, TimeProvider clock)
{
    public async Task<Outcome<OrgUnit>> Org(string code, Actor actor, CancellationToken ct)
    {
        var org = await db.Orgs.AsNoTracking().FirstOrDefaultAsync(o => o.Code == code, ct);
        if (org is null)
        {
            return Refusal.NotFound("tổ chức đảng");
        }
        return actor.CanSeeOrgPath(org.Path) ? org : Refusal.Forbidden;
    }

    public async Task<Outcome<MemberInScope>> Member(string memberNo, Actor actor, CancellationToken ct)
    {
        long? id = await db.Members.Where(m => m.MemberNo == memberNo).Select(m => (long?)m.Id).FirstOrDefaultAsync(ct);
        if (id is null)
        {
            return Refusal.NotFound("đảng viên");
        }
        if (actor.IsAdmin || actor.MemberId == id)
        {
            return new MemberInScope(id.Value, memberNo, true, "");
        }
        if (!actor.IsStaff)
        {
            return Refusal.Forbidden;
        }
        var today = VietnamTime.Today(clock);
        string prefix = actor.ScopePrefix;
        bool placedInScope = await db.Placements.InForce(today)
            .AnyAsync(p => p.MemberId == id && db.Orgs.Any(o => o.Id == p.OrgId && o.Path.StartsWith(prefix)), ct);
        if (placedInScope)
        {
            return new MemberInScope(id.Value, memberNo, true, prefix);
        }
        // Staff of an organization the member has left keep seeing what was owed there, and nothing else.
        bool owedInScope = await db.Statements.AnyAsync(s => s.MemberId == id && db.Orgs.Any(o => o.Id == s.OrgId && o.Path.StartsWith(prefix)), ct);
        return owedInScope ? new MemberInScope(id.Value, memberNo, false, prefix) : Refusal.Forbidden;
    }
}

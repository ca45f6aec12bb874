using Fees.Domain.Accounts;
using Fees.Domain.Members;
using Fees.Domain.Organizations;

namespace Fees.Persistence.Queries;

/// <summary>
/// The one place where "what may this actor see" becomes a query filter, so lists, searches and counts can never
/// include anything outside an actor's subtree (or, for a member, anything but their own record).
/// </summary>
public static class Scopes
{
    public static IQueryable<OrgUnit> Visible(this IQueryable<OrgUnit> orgs, Actor actor) => actor.Role switch
    {
        Role.Admin => orgs,
        Role.Member => orgs.Where(_ => false),
        _ => orgs.Where(o => o.Path.StartsWith(actor.ScopePrefix)),
    };

    /// <summary>Placements in force on <paramref name="date"/> (official and temporary).</summary>
    public static IQueryable<MemberPlacement> InForce(this IQueryable<MemberPlacement> placements, DateOnly date) =>
        placements.Where(p => p.ValidFrom <= date && (p.ValidTo == null || p.ValidTo > date));

    /// <summary>Members the actor may see: their own record, or members placed (today) in their subtree.</summary>
    public static IQueryable<Member> Visible(this IQueryable<Member> members, FeesDbContext db, Actor actor, DateOnly today) => actor.Role switch
    {
        Role.Admin => members,
        Role.Member => members.Where(m => m.Id == actor.MemberId),
        _ => members.Where(m => db.Placements.InForce(today)
            .Any(p => p.MemberId == m.Id && db.Orgs.Any(o => o.Id == p.OrgId && o.Path.StartsWith(actor.ScopePrefix)))),
    };

    /// <summary>Escapes <c>%</c>, <c>_</c> and <c>\</c> so user text is matched literally by LIKE/ILIKE.</summary>
    public static string EscapeLike(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
    }
}

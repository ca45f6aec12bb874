using Fees.Api.Accounts;
using Fees.Api.Database;
using Fees.Api.Members;

namespace Fees.Api.Organizations;

/// <summary>
/// The one place where "what may this user see" becomes a query filter, so lists, searches and counts can never
/// include anything outside a user's subtree (or, for a member, anything but their own record).
/// </summary>
public static class Scopes
{
    public static IQueryable<OrgUnit> Visible(this IQueryable<OrgUnit> orgs, CurrentUser user) => user.Role switch
    {
        Role.Admin => orgs,
        Role.Member => orgs.Where(_ => false),
        _ => orgs.Where(o => o.Path.StartsWith(user.ScopePath!)),
    };

    /// <summary>Placements in force on <paramref name="date"/> (official and temporary).</summary>
    public static IQueryable<MemberPlacement> InForce(this IQueryable<MemberPlacement> placements, DateOnly date) =>
        placements.Where(p => p.ValidFrom <= date && (p.ValidTo == null || p.ValidTo > date));

    /// <summary>Members the user may see: their own record, or members placed (today) in their subtree.</summary>
    public static IQueryable<Member> Visible(this IQueryable<Member> members, FeesDbContext db, CurrentUser user, DateOnly today) => user.Role switch
    {
        Role.Admin => members,
        Role.Member => members.Where(m => m.Id == user.MemberId),
        _ => members.Where(m => db.Placements.InForce(today)
            .Any(p => p.MemberId == m.Id && db.Orgs.Any(o => o.Id == p.OrgId && o.Path.StartsWith(user.ScopePath!)))),
    };
}

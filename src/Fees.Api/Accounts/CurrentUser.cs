using System.Globalization;
using System.Security.Claims;

namespace Fees.Api.Accounts;

/// <summary>
/// Who is calling, read from the authenticated principal: the role and the scope every query is filtered by.
/// A scope is an organization's subtree (a path prefix) or, for a member, their own member id.
/// </summary>
public sealed record CurrentUser(long UserId, string Username, Role Role, long? OrgId, string? ScopePath, long? MemberId)
{
    public const string ClaimUserId = "fees:user_id";
    public const string ClaimOrgId = "fees:org_id";
    public const string ClaimScopePath = "fees:scope_path";
    public const string ClaimMemberId = "fees:member_id";

    public static CurrentUser System { get; } = new(0, "system", Role.Admin, null, null, null);

    public bool IsAdmin => Role == Role.Admin;

    /// <summary>May this user see an organization with this path? Admins see everything; staff their subtree.</summary>
    public bool CanSeeOrgPath(string orgPath) => Role switch
    {
        Role.Admin => true,
        Role.Member => false,
        _ => ScopePath is not null && orgPath.StartsWith(ScopePath, StringComparison.Ordinal),
    };

    public static CurrentUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        string? id = principal.FindFirstValue(ClaimUserId);
        string? role = principal.FindFirstValue(ClaimTypes.Role);
        if (id is null || !RoleCodes.TryParse(role, out var parsedRole))
        {
            return null;
        }
        return new CurrentUser(
            long.Parse(id, CultureInfo.InvariantCulture),
            principal.Identity.Name ?? "",
            parsedRole,
            ParseLong(principal.FindFirstValue(ClaimOrgId)),
            principal.FindFirstValue(ClaimScopePath),
            ParseLong(principal.FindFirstValue(ClaimMemberId)));
    }

    private static long? ParseLong(string? s) => s is null ? null : long.Parse(s, CultureInfo.InvariantCulture);
}

namespace Fees.Domain.Accounts;

/// <summary>
/// Who is acting, with the scope every read and write is filtered by: an organization's subtree (its materialised
/// path, <c>/TW/HN/HN.X001/</c>) for treasurers, office staff and auditors; one member for a member; everything for an
/// admin. <see cref="System"/> is the service itself (jobs, seeding).
/// </summary>
public sealed record Actor(long UserId, string Username, Role Role, long? OrgId, string? ScopePath, long? MemberId)
{
    /// <summary>A path no organization has: the scope of someone who should see no organization at all.</summary>
    public const string NothingInScope = "/nothing-in-scope/";

    /// <summary>The service acting on its own behalf (scheduled jobs, demo seeding, the built-in admin's creation).</summary>
    public static Actor System { get; } = new(0, "system", Role.Admin, null, null, null);

    public bool IsAdmin => Role == Role.Admin;

    /// <summary>Treasurer, office or auditor: scoped to an organization's subtree.</summary>
    public bool IsStaff => Role is Role.Treasurer or Role.Office or Role.Auditor;

    /// <summary>
    /// The subtree in scope as a path prefix: '' for an admin (every path starts with it), the scope path for staff,
    /// <see cref="NothingInScope"/> for a member (who sees no organization as such).
    /// </summary>
    public string ScopePrefix => Role switch
    {
        Role.Admin => "",
        Role.Member => NothingInScope,
        _ => ScopePath ?? NothingInScope,
    };

    /// <summary>May this actor see an organization with this path? Admins see everything; staff their subtree.</summary>
    public bool CanSeeOrgPath(string orgPath)
    {
        ArgumentNullException.ThrowIfNull(orgPath);
        return orgPath.StartsWith(ScopePrefix, StringComparison.Ordinal);
    }
}

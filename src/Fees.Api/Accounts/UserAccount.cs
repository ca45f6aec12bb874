namespace Fees.Api.Accounts;

/// <summary>A person who signs in. The role and scope decide what they may see and do.</summary>
public sealed class UserAccount
{
    public long Id { get; set; }
    public required string Username { get; set; }
    public required string PasswordHash { get; set; }
    public Role Role { get; set; }
    /// <summary>For treasurer, office and auditor: the organization whose subtree is their scope.</summary>
    public long? OrgId { get; set; }
    /// <summary>For member: the member whose own records they see.</summary>
    public long? MemberId { get; set; }
    public bool IsLocked { get; set; }
    public int FailedAttempts { get; set; }
    /// <summary>Until then, sign-in is refused without checking the password (the slow-down after bad passwords).</summary>
    public DateTimeOffset? ThrottledUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
}

public enum Role
{
    Member,
    Treasurer,
    Office,
    Auditor,
    Admin,
}

/// <summary>A signed-in session: the token itself is never stored, only its SHA-256.</summary>
public sealed class AuthSession
{
    public required byte[] TokenHash { get; set; }
    public long UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

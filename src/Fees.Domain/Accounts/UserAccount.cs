namespace Fees.Domain.Accounts;

/// <summary>
/// A person who signs in. The role and scope decide what they may see and do; the sign-in rules (slow-down after bad
/// passwords, lock) live here so every path that checks a password applies the same ones.
/// </summary>
public sealed class UserAccount
{
    /// <summary>From this many consecutive failures on, each further attempt must wait (1 s, 2 s, 4 s …).</summary>
    public const int FreeAttempts = 3;

    /// <summary>At this many consecutive failures the account is locked until an admin unlocks it.</summary>
    public const int LockAfter = 10;

    private UserAccount()
    {
    }

    public long Id { get; private set; }
    public string Username { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";
    public Role Role { get; private set; }
    /// <summary>For treasurer, office and auditor: the organization whose subtree is their scope.</summary>
    public long? OrgId { get; private set; }
    /// <summary>For member: the member whose own records they see.</summary>
    public long? MemberId { get; private set; }
    public bool IsLocked { get; private set; }
    public int FailedAttempts { get; private set; }
    /// <summary>Until then, sign-in is refused without checking the password (the slow-down after bad passwords).</summary>
    public DateTimeOffset? ThrottledUntil { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public uint Version { get; private set; }

    /// <summary>A new account; the caller has checked the scope fits the role (an org for staff, a member for a member).</summary>
    public static UserAccount Create(string username, Role role, long? orgId, long? memberId, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        bool scoped = role switch
        {
            Role.Admin => orgId is null && memberId is null,
            Role.Member => memberId is not null && orgId is null,
            _ => orgId is not null && memberId is null,
        };
        if (!scoped)
        {
            throw new ArgumentException($"A {role.ToCode()} account needs exactly its scope.", nameof(role));
        }
        return new UserAccount { Username = username, Role = role, OrgId = orgId, MemberId = memberId, CreatedAt = now, UpdatedAt = now };
    }

    /// <summary>Sets the stored hash (a new password, or a rehash at a higher cost).</summary>
    public void SetPasswordHash(string hash, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        PasswordHash = hash;
        UpdatedAt = now;
    }

    /// <summary>How long an attempt at <paramref name="now"/> must still wait, or null when it may check the password.</summary>
    public TimeSpan? MustWait(DateTimeOffset now) => ThrottledUntil is { } until && until > now ? until - now : null;

    /// <summary>A wrong password: counts, slows down from <see cref="FreeAttempts"/>, locks at <see cref="LockAfter"/>.</summary>
    /// <returns>True when this failure locked the account.</returns>
    public bool RecordFailedSignIn(DateTimeOffset now)
    {
        FailedAttempts++;
        UpdatedAt = now;
        if (FailedAttempts >= LockAfter)
        {
            IsLocked = true;
            ThrottledUntil = null;
            return true;
        }
        if (FailedAttempts >= FreeAttempts)
        {
            ThrottledUntil = now + TimeSpan.FromSeconds(1 << (FailedAttempts - FreeAttempts));
        }
        return false;
    }

    /// <summary>A right password: the failure count starts again.</summary>
    public void RecordSuccessfulSignIn(DateTimeOffset now)
    {
        FailedAttempts = 0;
        ThrottledUntil = null;
        UpdatedAt = now;
    }

    /// <summary>Locked by an admin (or unlocked): either way the failure count starts again.</summary>
    public void SetLocked(bool locked, DateTimeOffset now)
    {
        IsLocked = locked;
        FailedAttempts = 0;
        ThrottledUntil = null;
        UpdatedAt = now;
    }
}

/// <summary>A signed-in session: the token itself is never stored, only its SHA-256.</summary>
public sealed class AuthSession
{
    private AuthSession()
    {
    }

    public byte[] TokenHash { get; private set; } = [];
    public long UserId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public static AuthSession Open(byte[] tokenHash, long userId, DateTimeOffset now, TimeSpan lifetime) =>
        new() { TokenHash = tokenHash, UserId = userId, CreatedAt = now, ExpiresAt = now + lifetime };
}

using Fees.Domain.Outcomes;

namespace Fees.Domain.Accounts;

/// <summary>
/// A person who signs in. The role and scope decide what they may see and do. The sign-in rules live here, so every
/// path that checks a password applies the same ones: an admin's lock (<see cref="IsLocked"/>, until an admin
/// unlocks) and the temporary lockout after consecutive wrong passwords (<see cref="SignInLockout"/>). The database
/// applies <see cref="RecordFailedSignIn"/> and <see cref="RecordSuccessfulSignIn"/> as single atomic statements
/// (parallel sign-ins must neither lose a failure nor collide), with exactly these rules.
/// </summary>
public sealed class UserAccount
{
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
    /// <summary>Locked by an admin: no sign-in and no session until an admin unlocks.</summary>
    public bool IsLocked { get; private set; }
    /// <summary>Consecutive wrong passwords since the last successful sign-in, unlock or password reset.</summary>
    public int FailedAttempts { get; private set; }
    /// <summary>Temporary lockouts earned by the current run of failures (the next one lasts longer).</summary>
    public int Lockouts { get; private set; }
    /// <summary>Until then, sign-in is refused without checking the password (the temporary lockout); null when none was earned.</summary>
    public DateTimeOffset? LockedOutUntil { get; private set; }
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

    /// <summary>Sets the stored hash of a new account (or a rehash of the same password at a higher cost).</summary>
    public void SetPasswordHash(string hash, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        PasswordHash = hash;
        UpdatedAt = now;
    }

    /// <summary>Temporarily locked out at <paramref name="now"/> (after too many wrong passwords)?</summary>
    public bool IsLockedOut(DateTimeOffset now) => LockedOutUntil is { } until && until > now;

    /// <summary>May an attempt at <paramref name="now"/> check its password? Not when locked by an admin, nor while locked out.</summary>
    public bool MayTrySignIn(DateTimeOffset now) => !IsLocked && !IsLockedOut(now);

    /// <summary>
    /// A wrong password: counts; every <see cref="SignInLockout.Threshold"/>th consecutive failure starts the next, longer
    /// lockout. A failure is counted even if a lockout began while its password was being checked (it only tightens).
    /// </summary>
    /// <returns>The end of the lockout this failure started, or null when it started none.</returns>
    public DateTimeOffset? RecordFailedSignIn(DateTimeOffset now)
    {
        FailedAttempts = checked(FailedAttempts + 1);
        UpdatedAt = now;
        if (!SignInLockout.StartsLockout(FailedAttempts))
        {
            return null;
        }
        Lockouts = checked(Lockouts + 1);
        LockedOutUntil = now + SignInLockout.Duration(Lockouts);
        return LockedOutUntil;
    }

    /// <summary>A right password, while sign-in is allowed: the failures and lockouts start again from zero.</summary>
    /// <exception cref="InvalidOperationException">The account is locked or locked out (the caller must refuse before).</exception>
    public void RecordSuccessfulSignIn(DateTimeOffset now)
    {
        if (!MayTrySignIn(now))
        {
            throw new InvalidOperationException("A locked or locked-out account cannot sign in.");
        }
        ClearFailures(now);
    }

    /// <summary>
    /// An admin (<paramref name="by"/>) locks this account: it stays locked until an admin unlocks it. Nobody locks
    /// themselves, and the last unlocked admin is never locked (someone must be left to unlock the others). Locking a
    /// locked account changes nothing and is not refused.
    /// </summary>
    /// <param name="by">The admin acting.</param>
    /// <param name="otherUnlockedAdmins">Unlocked admins other than this account, counted under a lock that keeps the count true until the change commits.</param>
    /// <param name="now">When.</param>
    public Outcome<Done> Lock(Actor by, int otherUnlockedAdmins, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(by);
        ArgumentOutOfRangeException.ThrowIfNegative(otherUnlockedAdmins);
        if (by.UserId == Id)
        {
            return CannotLockSelf;
        }
        if (Role == Role.Admin && !IsLocked && otherUnlockedAdmins == 0)
        {
            return LastAdmin;
        }
        IsLocked = true;
        ClearFailures(now);
        return Done.Value;
    }

    /// <summary>An admin unlocks: the admin's lock and any temporary lockout end, the failures start again from zero.</summary>
    public void Unlock(DateTimeOffset now)
    {
        IsLocked = false;
        ClearFailures(now);
    }

    /// <summary>
    /// An admin sets a new password: the failures and any temporary lockout start again (the right person now has the
    /// right password); an admin's lock stays. The caller ends the account's sessions.
    /// </summary>
    public void ResetPassword(string hash, DateTimeOffset now)
    {
        SetPasswordHash(hash, now);
        ClearFailures(now);
    }

    /// <summary>
    /// The operator recovers the built-in admin from the machine: a new password, and every lock and lockout ends. The
    /// caller ends the account's sessions.
    /// </summary>
    public void Recover(string hash, DateTimeOffset now)
    {
        ResetPassword(hash, now);
        IsLocked = false;
    }

    /// <summary>Refusal when an admin tries to lock their own account.</summary>
    public static Refusal CannotLockSelf { get; } = Refusal.Conflict("cannot_lock_self", "Không thể tự khóa tài khoản của chính mình.");

    /// <summary>Refusal when the account is the last unlocked admin.</summary>
    public static Refusal LastAdmin { get; } = Refusal.Conflict("last_admin",
        "Không thể khóa tài khoản quản trị hệ thống cuối cùng còn hoạt động: sẽ không còn ai mở khóa được tài khoản.");

    private void ClearFailures(DateTimeOffset now)
    {
        FailedAttempts = 0;
        Lockouts = 0;
        LockedOutUntil = null;
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

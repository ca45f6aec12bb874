using Fees.Domain.Accounts;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Auditing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fees.Persistence.Accounts;

/// <summary>What a sign-in attempt came to.</summary>
public abstract record SignInOutcome
{
    public sealed record Success(string Token, DateTimeOffset ExpiresAt) : SignInOutcome;
    public sealed record InvalidCredentials : SignInOutcome;
    public sealed record Locked : SignInOutcome;
    public sealed record Throttled(TimeSpan RetryAfter) : SignInOutcome;
}

/// <summary>Settings of accounts and sessions (section <c>Fees</c>).</summary>
public sealed class AccountOptions
{
    /// <summary>Lifetime of a sign-in (bearer token or cookie).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>PBKDF2 iterations for new password hashes (ASP.NET Core's PasswordHasher, HMAC-SHA512).</summary>
    public int PasswordIterations { get; set; } = 210_000;
}

/// <summary>
/// Checks a username and password and opens a session, under the rules of <see cref="UserAccount"/> (slow-down after
/// bad passwords, then a lock). A throttled attempt is refused without looking at the password and does not count.
/// </summary>
public sealed class SignIns(FeesDbContext db, PasswordHashing hashing, AuditWriter audit, TimeProvider clock, IOptions<AccountOptions> options,
    IAccessRecorder access)
{
    /// <summary>Signs in, and leaves the attempt in the access trace (<c>sign_in.succeeded</c> or <c>sign_in.failed</c>, with the username tried).</summary>
    public async Task<SignInOutcome> SignIn(string username, string password, CancellationToken ct)
    {
        var (outcome, role) = await Attempt(username, password, ct);
        await access.RecordSignIn(outcome is SignInOutcome.Success ? AccessActions.SignInSucceeded : AccessActions.SignInFailed, username, role);
        return outcome;
    }

    private async Task<(SignInOutcome, Role?)> Attempt(string username, string password, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // No account has such a name, and PostgreSQL cannot even be asked about a NUL: an unknown user, not an error.
        bool askable = username.Length <= 100 && !username.Contains('\0', StringComparison.Ordinal);
        var user = askable ? await db.Users.FirstOrDefaultAsync(u => u.Username == username, ct) : null;
        if (user is null)
        {
            hashing.VerifyAgainstDummy(password); // same work as a real check: no user enumeration by timing
            return (new SignInOutcome.InvalidCredentials(), null);
        }
        if (user.IsLocked)
        {
            return (new SignInOutcome.Locked(), user.Role);
        }
        if (user.MustWait(now) is { } wait)
        {
            return (new SignInOutcome.Throttled(wait), user.Role);
        }

        var verdict = hashing.Verify(user, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            if (user.RecordFailedSignIn(now))
            {
                audit.Add(db, Actor.System, AuditEntry.Of("user.locked_after_failed_sign_ins", "user", user.Username,
                    null, new { locked = true, failedAttempts = user.FailedAttempts }, null));
            }
            await db.SaveChangesAsync(ct);
            return (user.IsLocked ? new SignInOutcome.Locked() : new SignInOutcome.InvalidCredentials(), user.Role);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.SetPasswordHash(hashing.Hash(user, password), now);
        }
        user.RecordSuccessfulSignIn(now);
        string token = SessionTokens.NewToken();
        var session = AuthSession.Open(SessionTokens.Hash(token), user.Id, now, options.Value.SessionLifetime);
        db.Sessions.Add(session);
        await db.SaveChangesAsync(ct);
        return (new SignInOutcome.Success(token, session.ExpiresAt), user.Role);
    }

    public async Task SignOut(string token, CancellationToken ct)
    {
        byte[] hash = SessionTokens.Hash(token);
        var now = clock.GetUtcNow();
        await db.Sessions.Where(s => s.TokenHash == hash && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), ct);
    }

    /// <summary>The actor behind a live session token (not expired, not revoked, user not locked), or null.</summary>
    public async Task<Actor?> FindSession(string token, CancellationToken ct)
    {
        byte[] hash = SessionTokens.Hash(token);
        var now = clock.GetUtcNow();
        var row = await (
            from s in db.Sessions.AsNoTracking()
            join u in db.Users.AsNoTracking() on s.UserId equals u.Id
            join o in db.Orgs.AsNoTracking() on u.OrgId equals o.Id into scope
            from o in scope.DefaultIfEmpty()
            where s.TokenHash == hash && s.RevokedAt == null && s.ExpiresAt > now && !u.IsLocked
            select new { u.Id, u.Username, u.Role, u.OrgId, u.MemberId, ScopePath = o == null ? null : o.Path })
            .FirstOrDefaultAsync(ct);
        return row is null ? null : new Actor(row.Id, row.Username, row.Role, row.OrgId, row.ScopePath, row.MemberId);
    }
}

/// <summary>ASP.NET Core's PBKDF2 password hasher (HMAC-SHA512, per-user salt), with the iteration count from options.</summary>
public sealed class PasswordHashing(IOptions<AccountOptions> options)
{
    private readonly PasswordHasher<UserAccount> _hasher = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
        IterationCount = options.Value.PasswordIterations,
    }));

    private readonly Lazy<string> _dummy = new(() => new PasswordHasher<UserAccount>().HashPassword(null!, "not-a-password"));

    public string Hash(UserAccount user, string password) => _hasher.HashPassword(user, password);

    public PasswordVerificationResult Verify(UserAccount user, string password) =>
        _hasher.VerifyHashedPassword(user, user.PasswordHash, password);

    public void VerifyAgainstDummy(string password) => _hasher.VerifyHashedPassword(null!, _dummy.Value, password);

    /// <summary>The minimum a password must satisfy; null when acceptable, otherwise a Vietnamese reason.</summary>
    public static string? Weakness(string? password) =>
        password is null || password.Length < 8 ? "Mật khẩu phải có ít nhất 8 ký tự." : null;
}

/// <summary>Opaque session tokens: 32 random bytes, base64url; only their SHA-256 is stored.</summary>
public static class SessionTokens
{
    public static string NewToken() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string token) => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));
}

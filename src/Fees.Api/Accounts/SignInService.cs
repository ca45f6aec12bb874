using Fees.Api.Audit;
using Fees.Api.Database;
using Fees.Api.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fees.Api.Accounts;

public abstract record SignInOutcome
{
    public sealed record Success(string Token, DateTimeOffset ExpiresAt) : SignInOutcome;
    public sealed record InvalidCredentials : SignInOutcome;
    public sealed record Locked : SignInOutcome;
    public sealed record Throttled(TimeSpan RetryAfter) : SignInOutcome;
}

/// <summary>
/// Checks a username and password and opens a session. Bad passwords slow down and then lock: from the
/// <see cref="FreeAttempts"/>th consecutive failure each further attempt must wait twice as long as the previous
/// one (1 s, 2 s, 4 s …), and at <see cref="LockAfter"/> consecutive failures the account is locked until an
/// admin unlocks it. A throttled attempt is refused without looking at the password and does not count.
/// </summary>
public sealed class SignInService(FeesDbContext db, PasswordHashing hashing, AuditTrail audit, TimeProvider clock, IOptions<FeesOptions> options)
{
    public const int FreeAttempts = 3;
    public const int LockAfter = 10;

    public async Task<SignInOutcome> SignIn(string username, string password, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == username, ct);
        if (user is null)
        {
            hashing.VerifyAgainstDummy(password); // same work as a real check: no user enumeration by timing
            return new SignInOutcome.InvalidCredentials();
        }
        if (user.IsLocked)
        {
            return new SignInOutcome.Locked();
        }
        if (user.ThrottledUntil is { } until && until > now)
        {
            return new SignInOutcome.Throttled(until - now);
        }

        var verdict = hashing.Verify(user, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            user.FailedAttempts++;
            user.UpdatedAt = now;
            if (user.FailedAttempts >= LockAfter)
            {
                user.IsLocked = true;
                user.ThrottledUntil = null;
                audit.Record(CurrentUser.System, "user.locked_after_failed_sign_ins", "user", user.Username,
                    null, new { locked = true, failedAttempts = user.FailedAttempts }, null);
            }
            else if (user.FailedAttempts >= FreeAttempts)
            {
                user.ThrottledUntil = now + TimeSpan.FromSeconds(1 << (user.FailedAttempts - FreeAttempts));
            }
            await db.SaveChangesAsync(ct);
            return user.IsLocked ? new SignInOutcome.Locked() : new SignInOutcome.InvalidCredentials();
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = hashing.Hash(user, password);
        }
        user.FailedAttempts = 0;
        user.ThrottledUntil = null;
        user.UpdatedAt = now;
        string token = SessionTokens.NewToken();
        var expires = now + options.Value.SessionLifetime;
        db.Sessions.Add(new AuthSession { TokenHash = SessionTokens.Hash(token), UserId = user.Id, CreatedAt = now, ExpiresAt = expires });
        await db.SaveChangesAsync(ct);
        return new SignInOutcome.Success(token, expires);
    }

    public async Task SignOut(string token, CancellationToken ct)
    {
        byte[] hash = SessionTokens.Hash(token);
        var now = clock.GetUtcNow();
        await db.Sessions.Where(s => s.TokenHash == hash && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), ct);
    }
}

/// <summary>ASP.NET Core's PBKDF2 password hasher (HMAC-SHA512, per-user salt), with the iteration count from options.</summary>
public sealed class PasswordHashing(IOptions<FeesOptions> options)
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

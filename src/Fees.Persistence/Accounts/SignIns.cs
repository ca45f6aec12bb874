using Fees.Domain.Accounts;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Auditing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fees.Persistence.Accounts;

/// <summary>What a sign-in attempt came to.</summary>
public abstract record SignInOutcome
{
    public sealed record Success(string Token, DateTimeOffset ExpiresAt) : SignInOutcome;

    /// <summary>
    /// Unknown user, wrong password, locked by an admin or temporarily locked out: one answer for all four, so that
    /// nobody outside learns whether an account exists or is locked.
    /// </summary>
    public sealed record InvalidCredentials : SignInOutcome;
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
/// Checks a username and password and opens a session, under the rules of <see cref="UserAccount"/> and
/// <see cref="SignInLockout"/>. The account's row is never read, changed in memory and written back: a failure is
/// counted by one atomic UPDATE … RETURNING (twenty parallel wrong passwords count twenty), and a success resets the
/// count and opens the session in one statement that also re-checks, at commit, that the account is still open and
/// its password unchanged (twenty parallel right passwords open twenty sessions; none collides on the row's version).
/// </summary>
public sealed class SignIns(FeesDbContext db, NpgsqlDataSource dataSource, PasswordHashing hashing, AuditWriter audit, TimeProvider clock, IOptions<AccountOptions> options,
    IAccessRecorder access)
{
    /// <summary>
    /// <see cref="UserAccount.RecordFailedSignIn"/> as one statement: the schedule and threshold are the domain's
    /// (<see cref="SignInLockout"/>), passed as parameters. The right-hand sides read the row as it was.
    /// </summary>
    private const string CountFailure = """
        update users set
          failed_attempts = failed_attempts + 1,
          lockouts = lockouts + case when (failed_attempts + 1) % $3 = 0 then 1 else 0 end,
          locked_out_until = case when (failed_attempts + 1) % $3 = 0
                                  then $2 + ($4::interval[])[least(lockouts + 1, cardinality($4::interval[]))]
                                  else locked_out_until end,
          updated_at = $2
        where id = $1
        returning failed_attempts, lockouts, locked_out_until, (select o.path from orgs o where o.id = users.org_id)
        """;

    /// <summary>
    /// <see cref="UserAccount.RecordSuccessfulSignIn"/> and the new session in one statement, only while the account
    /// may sign in and still has the hash the password was checked against (a reset meanwhile wins).
    /// </summary>
    private const string OpenSession = """
        with opened as (
          update users set
            password_hash = coalesce($3, password_hash),
            updated_at = case when failed_attempts <> 0 or lockouts <> 0 or locked_out_until is not null or $3 is not null
                              then $4 else updated_at end,
            failed_attempts = 0,
            lockouts = 0,
            locked_out_until = null
          where id = $1 and password_hash = $2 and not is_locked and (locked_out_until is null or locked_out_until <= $4)
          returning id)
        insert into auth_sessions (token_hash, user_id, created_at, expires_at)
        select $5, id, $4, $6 from opened
        """;

    private static readonly SignInOutcome Refused = new SignInOutcome.InvalidCredentials();

    /// <summary>Signs in, and leaves the attempt in the access trace (<c>sign_in.succeeded</c> or <c>sign_in.failed</c>, with the username tried).</summary>
    public async Task<SignInOutcome> SignIn(string username, string password, CancellationToken ct)
    {
        var (outcome, role) = await Attempt(username, password, ct);
        await access.RecordSignIn(outcome is SignInOutcome.Success ? AccessActions.SignInSucceeded : AccessActions.SignInFailed, username, role);
        return outcome;
    }

    private async Task<(SignInOutcome Outcome, Role? Role)> Attempt(string username, string password, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // No account has such a name, and PostgreSQL cannot even be asked about a NUL: an unknown user, not an error.
        bool askable = username.Length <= 100 && !username.Contains('\0', StringComparison.Ordinal);
        // A few tries only when the stored hash changed under a right password (a parallel sign-in rehashed it).
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var user = askable ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, ct) : null;
            if (user is null || !user.MayTrySignIn(now))
            {
                // The same work as checking a real password (a hash of the configured cost) and the same answer: neither
                // the reply nor its timing says whether the account exists or is locked. Not counted.
                hashing.VerifyAgainstDummy(password);
                return (Refused, user?.Role);
            }
            var verdict = hashing.Verify(user, password);
            if (verdict == PasswordVerificationResult.Failed)
            {
                await RecordFailure(user, now, ct);
                return (Refused, user.Role);
            }
            string? rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? hashing.Hash(password) : null;
            string token = SessionTokens.NewToken();
            var session = AuthSession.Open(SessionTokens.Hash(token), user.Id, now, options.Value.SessionLifetime);
            await using var open = dataSource.CreateCommand(OpenSession);
            open.Parameters.Add(new() { Value = user.Id });
            open.Parameters.Add(new() { Value = user.PasswordHash });
            open.Parameters.Add(new() { Value = (object?)rehash ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            open.Parameters.Add(new() { Value = now });
            open.Parameters.Add(new() { Value = session.TokenHash });
            open.Parameters.Add(new() { Value = session.ExpiresAt });
            if (await open.ExecuteNonQueryAsync(ct) == 1)
            {
                return (new SignInOutcome.Success(token, session.ExpiresAt), user.Role);
            }
            // Locked, locked out, or the hash changed while the password was checked: look again.
        }
        return (Refused, null);
    }

    /// <summary>Counts a wrong password; a failure that starts a lockout is audited in the same transaction.</summary>
    private async Task RecordFailure(UserAccount user, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        int failedAttempts, lockouts;
        DateTimeOffset? lockedOutUntil;
        string? orgPath;
        await using (var count = new NpgsqlCommand(CountFailure, conn, tx))
        {
            count.Parameters.Add(new() { Value = user.Id });
            count.Parameters.Add(new() { Value = now });
            count.Parameters.Add(new() { Value = SignInLockout.Threshold });
            count.Parameters.Add(new() { Value = SignInLockout.Schedule.ToArray() });
            await using var row = await count.ExecuteReaderAsync(ct);
            if (!await row.ReadAsync(ct))
            {
                return; // the account was deleted meanwhile: nothing to count
            }
            failedAttempts = row.GetInt32(0);
            lockouts = row.GetInt32(1);
            lockedOutUntil = row.IsDBNull(2) ? null : row.GetFieldValue<DateTimeOffset>(2);
            orgPath = row.IsDBNull(3) ? null : row.GetString(3);
        }
        if (SignInLockout.StartsLockout(failedAttempts))
        {
            await audit.Copy(conn, Actor.System, AuditEntry.Of("user.locked_out", "user", user.Username,
                null, new { failedAttempts, lockouts, lockedOutUntil }, orgPath), ct);
        }
        await tx.CommitAsync(ct);
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

/// <summary>
/// ASP.NET Core's PBKDF2 password hasher (HMAC-SHA512, per-user salt), with the iteration count from options. One
/// instance for the service: the dummy hash (what a sign-in for an unknown or locked account is checked against) is
/// made once, with the same configured cost as every real hash.
/// </summary>
public sealed class PasswordHashing
{
    /// <summary>The longest password accepted (hashing is the cost of a sign-in; nobody types more).</summary>
    public const int MaxLength = 128;

    private readonly PasswordHasher<UserAccount> _hasher;

    public PasswordHashing(IOptions<AccountOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hasher = new(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = options.Value.PasswordIterations,
        }));
        DummyHash = _hasher.HashPassword(null!, SessionTokens.NewToken());
    }

    /// <summary>A hash of a random password nobody knows, made with the configured iterations.</summary>
    public string DummyHash { get; }

    // The hasher ignores the user; accounts are hashed the same whoever they are.
    public string Hash(string password) => _hasher.HashPassword(null!, password);

    public PasswordVerificationResult Verify(UserAccount user, string password) =>
        _hasher.VerifyHashedPassword(user, user.PasswordHash, password);

    public void VerifyAgainstDummy(string password) => _hasher.VerifyHashedPassword(null!, DummyHash, password);

    /// <summary>
    /// The PBKDF2 iterations a stored hash was made with (Identity v3 format: a 0x01 marker, then the PRF, the
    /// iteration count and the salt length as big-endian 32-bit numbers), or null when it is not a v3 hash.
    /// </summary>
    public static int? IterationsOf(string hash)
    {
        Span<byte> bytes = stackalloc byte[256];
        if (!Convert.TryFromBase64String(hash, bytes, out int length) || length < 13 || bytes[0] != 0x01)
        {
            return null;
        }
        return (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes[5..9]);
    }

    /// <summary>The minimum a password must satisfy; null when acceptable, otherwise a Vietnamese reason.</summary>
    public static string? Weakness(string? password) =>
        password is null || password.Length < 8 ? "Mật khẩu phải có ít nhất 8 ký tự."
        : password.Length > MaxLength ? $"Mật khẩu dài tối đa {MaxLength} ký tự."
        : null;
}

/// <summary>Opaque session tokens: 32 random bytes, base64url; only their SHA-256 is stored.</summary>
public static class SessionTokens
{
    public static string NewToken() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Hash(string token) => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));
}

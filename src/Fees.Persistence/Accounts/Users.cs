using Fees.Domain.Accounts;
using Fees.Domain.Outcomes;
using Fees.Persistence.Auditing;
using Microsoft.EntityFrameworkCore;

namespace Fees.Persistence.Accounts;

/// <summary>
/// A user as the admin sees it: the scope as an organization code or a member number, with its name;
/// <see cref="Locked"/> is an admin's lock, <see cref="LockedOutUntil"/> a temporary lockout after wrong passwords (when
/// it is still running).
/// </summary>
public sealed record UserSummary(string Username, string Role, string? OrgCode, string? MemberNo, bool Locked,
    DateTimeOffset? LockedOutUntil = null, string? ScopeName = null);

/// <summary>One page of users (<see cref="Users.PageSize"/> a page), in username order.</summary>
public sealed record UserPage(int Total, int Page, IReadOnlyList<UserSummary> Items);

/// <summary>
/// Creating, listing, locking, unlocking users and resetting passwords: each change audited in the same transaction.
/// A change reads the account's row under a lock (FOR UPDATE), applies the domain's rule and writes it back, so it
/// never races a sign-in counting a failure on the same row.
/// </summary>
public sealed class Users(FeesDbContext db, PasswordHashing hashing, AuditWriter audit, TimeProvider clock)
{
    /// <summary>Users on one page of the list.</summary>
    public const int PageSize = 50;

    /// <summary>The longest username, organization code or member number accepted.</summary>
    public const int MaxNameLength = 100;

    public async Task<Outcome<UserSummary>> Create(string? usernameText, string? password, string? roleCode, string? orgCode, string? memberNo, Actor actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        string username = usernameText?.Trim() ?? "";
        if (username.Length is 0 or > MaxNameLength || !username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            errors["username"] = ["Tên đăng nhập gồm 1–100 ký tự chữ, số, '.', '_' hoặc '-'."];
        }
        if (PasswordHashing.Weakness(password) is { } weak)
        {
            errors["password"] = [weak];
        }
        if (!RoleCodes.TryParse(roleCode, out var role))
        {
            errors["role"] = ["Vai trò phải là member, treasurer, office, auditor hoặc admin."];
        }
        long? orgId = null;
        long? memberId = null;
        string? orgPath = null;
        if (errors.Count == 0 && role is Role.Treasurer or Role.Office or Role.Auditor)
        {
            var org = string.IsNullOrWhiteSpace(orgCode) || orgCode.Length > MaxNameLength ? null
                : await db.Orgs.Where(o => o.Code == orgCode).Select(o => new { o.Id, o.Path }).FirstOrDefaultAsync(ct);
            if (org is null)
            {
                errors["orgCode"] = ["Cần mã tổ chức đảng đã có trong hệ thống (phạm vi quản lý của tài khoản)."];
            }
            else
            {
                (orgId, orgPath) = (org.Id, org.Path);
            }
        }
        if (errors.Count == 0 && role == Role.Member)
        {
            memberId = string.IsNullOrWhiteSpace(memberNo) || memberNo.Length > MaxNameLength ? null
                : await db.Members.Where(m => m.MemberNo == memberNo).Select(m => (long?)m.Id).FirstOrDefaultAsync(ct);
            if (memberId is null)
            {
                errors["memberNo"] = ["Cần số thẻ đảng viên đã có trong hệ thống."];
            }
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        var now = clock.GetUtcNow();
        var user = UserAccount.Create(username, role, orgId, memberId, now);
        user.SetPasswordHash(hashing.Hash(password!), now);
        db.Users.Add(user);
        audit.Add(db, actor, AuditEntry.Of("user.create", "user", username, null,
            new { username, role = role.ToCode(), orgCode, memberNo }, orgPath));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            return UsernameTaken;
        }
        return new UserSummary(username, role.ToCode(), orgId is null ? null : orgCode, memberId is null ? null : memberNo, false);
    }

    private static Refusal UsernameTaken => Refusal.Conflict("username_taken", "Tên đăng nhập đã tồn tại.");

    /// <summary>One page of users whose username contains <paramref name="q"/> (any case), in username order.</summary>
    public async Task<UserPage> List(string? q, int page, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            string pattern = "%" + q.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%";
            users = users.Where(u => EF.Functions.ILike(u.Username, pattern, "\\"));
        }
        int total = await users.CountAsync(ct);
        var items = await (
            from u in users
            join o in db.Orgs on u.OrgId equals o.Id into uo
            from o in uo.DefaultIfEmpty()
            join m in db.Members on u.MemberId equals m.Id into um
            from m in um.DefaultIfEmpty()
            orderby u.Username
            select new UserSummary(u.Username, u.Role.ToCode(), o == null ? null : o.Code, m == null ? null : m.MemberNo, u.IsLocked,
                u.LockedOutUntil > now ? u.LockedOutUntil : null, o != null ? o.Name : m != null ? m.FullName : null))
            .Skip((page - 1) * PageSize).Take(PageSize)
            .ToListAsync(ct);
        return new UserPage(total, page, items);
    }

    /// <summary>
    /// An admin locks an account: its sessions end now, and it stays locked until an admin unlocks it. Refused (409)
    /// for one's own account and for the last unlocked admin; locking a locked account is accepted and changes nothing.
    /// </summary>
    public async Task<Outcome<Done>> Lock(string username, Actor actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Locks are made one at a time (a transaction-scoped advisory lock): only a lock lowers the number of unlocked
        // admins, so the count read next stays true until this one commits, and two admins locking each other at the
        // same moment cannot both succeed. Row locks on every admin would do the same, but deadlock under that race.
        await db.Database.ExecuteSqlAsync($"select pg_advisory_xact_lock({LockSerializationKey})", ct);
        var unlockedAdmins = await db.Users.Where(u => u.Role == Role.Admin && !u.IsLocked).Select(u => u.Id).ToListAsync(ct);
        var user = await ForUpdate(username, ct);
        if (user is null)
        {
            return NotFound;
        }
        var before = State(user);
        var locked = user.Lock(actor, unlockedAdmins.Count(id => id != user.Id), clock.GetUtcNow());
        if (!locked.Succeeded)
        {
            return locked.Refusal;
        }
        await Write(user, ct);
        int sessionsEnded = await EndSessions(user, ct);
        audit.Add(db, actor, AuditEntry.Of("user.lock", "user", user.Username, before, State(user, sessionsEnded), await ScopePath(user, ct)));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Done.Value;
    }

    /// <summary>An admin unlocks an account: the admin's lock and any temporary lockout end.</summary>
    public async Task<Outcome<Done>> Unlock(string username, Actor actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await ForUpdate(username, ct);
        if (user is null)
        {
            return NotFound;
        }
        var before = State(user);
        user.Unlock(clock.GetUtcNow());
        await Write(user, ct);
        audit.Add(db, actor, AuditEntry.Of("user.unlock", "user", user.Username, before, State(user), await ScopePath(user, ct)));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Done.Value;
    }

    /// <summary>
    /// An admin sets a new password: the account's sessions end, its failures and any temporary lockout are
    /// forgotten; an admin's lock stays. The audit record says that it happened, never the password or its hash.
    /// </summary>
    public async Task<Outcome<Done>> ResetPassword(string username, string? password, Actor actor, CancellationToken ct)
    {
        if (PasswordHashing.Weakness(password) is { } weak)
        {
            return Refusal.Field("password", weak);
        }
        string hash = hashing.Hash(password!);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await ForUpdate(username, ct);
        if (user is null)
        {
            return NotFound;
        }
        var before = State(user);
        user.ResetPassword(hash, clock.GetUtcNow());
        await Write(user, ct);
        int sessionsEnded = await EndSessions(user, ct);
        audit.Add(db, actor, AuditEntry.Of("user.password_reset", "user", user.Username, before, State(user, sessionsEnded), await ScopePath(user, ct)));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Done.Value;
    }

    /// <summary>
    /// The operator's recovery of the built-in <c>admin</c> from the machine (<c>FEES_ADMIN_RESET=1</c> with
    /// <c>FEES_ADMIN_PASSWORD</c>): a new password, unlocked, no lockout, every session ended; audited as the system.
    /// </summary>
    public async Task RecoverBuiltInAdmin(string password, CancellationToken ct)
    {
        if (PasswordHashing.Weakness(password) is { } weak)
        {
            throw new InvalidOperationException($"FEES_ADMIN_PASSWORD cannot be the built-in admin's password: {weak}");
        }
        await EnsureBuiltInAdmin(password, ct);
        string hash = hashing.Hash(password);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var admin = await ForUpdate(BuiltInAdmin, ct) ?? throw new InvalidOperationException("The built-in admin is missing.");
        var before = State(admin);
        admin.Recover(hash, clock.GetUtcNow());
        await Write(admin, ct);
        int sessionsEnded = await EndSessions(admin, ct);
        audit.Add(db, Actor.System, AuditEntry.Of("user.admin_recovered", "user", admin.Username, before, State(admin, sessionsEnded), null));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The advisory lock that serializes admins' locks (an arbitrary constant, used for nothing else).</summary>
    private const long LockSerializationKey = 0x4645_4553_4C4F_434B; // "FEESLOCK"

    private static Refusal NotFound => Refusal.NotFound("tài khoản");

    private static object State(UserAccount u, int? sessionsEnded = null) => new
    {
        locked = u.IsLocked,
        failedAttempts = u.FailedAttempts,
        lockouts = u.Lockouts,
        lockedOutUntil = u.LockedOutUntil,
        sessionsEnded,
    };

    /// <summary>The account, its row locked until the transaction ends (untracked: <see cref="Write"/> stores it).</summary>
    private async Task<UserAccount?> ForUpdate(string username, CancellationToken ct) =>
        username.Length > MaxNameLength ? null
        : (await db.Users.FromSql($"select *, xmin from users where username = {username} for update").AsNoTracking().ToListAsync(ct)).SingleOrDefault();

    /// <summary>Stores what the domain changed: the lock, the failures, the lockout, the hash.</summary>
    private Task<int> Write(UserAccount u, CancellationToken ct) =>
        db.Users.Where(x => x.Id == u.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.IsLocked, u.IsLocked)
            .SetProperty(x => x.FailedAttempts, u.FailedAttempts)
            .SetProperty(x => x.Lockouts, u.Lockouts)
            .SetProperty(x => x.LockedOutUntil, u.LockedOutUntil)
            .SetProperty(x => x.PasswordHash, u.PasswordHash)
            .SetProperty(x => x.UpdatedAt, u.UpdatedAt), ct);

    /// <summary>Ends the account's live sessions now, not when they expire.</summary>
    private Task<int> EndSessions(UserAccount u, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return db.Sessions.Where(s => s.UserId == u.Id && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), ct);
    }

    private async Task<string?> ScopePath(UserAccount u, CancellationToken ct) =>
        u.OrgId is null ? null : await db.Orgs.Where(o => o.Id == u.OrgId).Select(o => o.Path).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Creates the built-in <c>admin</c> on the first start, with <paramref name="password"/> (<c>FEES_ADMIN_PASSWORD</c>);
    /// does nothing once it exists.
    /// </summary>
    public async Task EnsureBuiltInAdmin(string? password, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(u => u.Username == BuiltInAdmin, ct))
        {
            return;
        }
        if (string.IsNullOrEmpty(password))
        {
            throw new InvalidOperationException("FEES_ADMIN_PASSWORD must be set on the first start with a real database (it becomes the password of the built-in 'admin').");
        }
        var now = clock.GetUtcNow();
        var admin = UserAccount.Create(BuiltInAdmin, Role.Admin, null, null, now);
        admin.SetPasswordHash(hashing.Hash(password), now);
        db.Users.Add(admin);
        audit.Add(db, Actor.System, AuditEntry.Of("user.create", "user", BuiltInAdmin, null, new { username = BuiltInAdmin, role = RoleCodes.Admin }, null));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The account created at first start, recovered by an operator with <c>FEES_ADMIN_PASSWORD</c>.</summary>
    public const string BuiltInAdmin = "admin";
}

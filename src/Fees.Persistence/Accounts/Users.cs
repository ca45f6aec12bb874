using Fees.Domain.Accounts;
using Fees.Domain.Outcomes;
using Fees.Persistence.Auditing;
using Microsoft.EntityFrameworkCore;

namespace Fees.Persistence.Accounts;

/// <summary>A user as the admin sees it.</summary>
public sealed record UserSummary(string Username, string Role, string? OrgCode, string? MemberNo, bool Locked);

/// <summary>Creating, listing, locking and unlocking users: each change audited in the same transaction.</summary>
public sealed class Users(FeesDbContext db, PasswordHashing hashing, AuditWriter audit, TimeProvider clock)
{
    public async Task<Outcome<UserSummary>> Create(string? usernameText, string? password, string? roleCode, string? orgCode, string? memberNo, Actor actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        string username = usernameText?.Trim() ?? "";
        if (username.Length is 0 or > 100 || !username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
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
            var org = string.IsNullOrWhiteSpace(orgCode) ? null
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
            memberId = string.IsNullOrWhiteSpace(memberNo) ? null
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
        user.SetPasswordHash(hashing.Hash(user, password!), now);
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

    public Task<List<UserSummary>> List(CancellationToken ct) => (
        from u in db.Users.AsNoTracking()
        join o in db.Orgs on u.OrgId equals o.Id into uo
        from o in uo.DefaultIfEmpty()
        join m in db.Members on u.MemberId equals m.Id into um
        from m in um.DefaultIfEmpty()
        orderby u.Username
        select new UserSummary(u.Username, u.Role.ToCode(), o == null ? null : o.Code, m == null ? null : m.MemberNo, u.IsLocked))
        .ToListAsync(ct);

    public async Task<Outcome<Done>> SetLocked(string username, bool locked, Actor actor, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == username, ct);
        if (user is null)
        {
            return Refusal.NotFound("tài khoản");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var before = new { locked = user.IsLocked, failedAttempts = user.FailedAttempts };
        user.SetLocked(locked, now);
        if (locked)
        {
            // Existing sessions end now, not when they expire.
            await db.Sessions.Where(s => s.UserId == user.Id && s.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now), ct);
        }
        string? scopePath = user.OrgId is null ? null : await db.Orgs.Where(o => o.Id == user.OrgId).Select(o => o.Path).FirstOrDefaultAsync(ct);
        audit.Add(db, actor, AuditEntry.Of(locked ? "user.lock" : "user.unlock", "user", username, before, new { locked, failedAttempts = 0 }, scopePath));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Done.Value;
    }

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
        admin.SetPasswordHash(hashing.Hash(admin, password), now);
        db.Users.Add(admin);
        audit.Add(db, Actor.System, AuditEntry.Of("user.create", "user", BuiltInAdmin, null, new { username = BuiltInAdmin, role = RoleCodes.Admin }, null));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The account created at first start, recovered by an operator with <c>FEES_ADMIN_PASSWORD</c>.</summary>
    public const string BuiltInAdmin = "admin";
}

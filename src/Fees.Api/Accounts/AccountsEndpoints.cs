using System.ComponentModel.DataAnnotations;
using Fees.Api.Audit;
using Fees.Api.Database;
using Fees.Api.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Accounts;

public sealed record TokenRequest(string? Username, string? Password);
public sealed record TokenResponse(string AccessToken, string TokenType, long ExpiresIn);
public sealed record CreateUserRequest(string? Username, string? Password, string? Role, string? OrgCode, string? MemberNo);
public sealed record UserView(string Username, string Role, string? OrgCode, string? MemberNo, bool Locked);

public static class AccountsEndpoints
{
    public static void MapAccounts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", IssueToken).AllowAnonymous();
        app.MapPost("/api/auth/sign-out", SignOutSession).RequireAuthorization();
        app.MapGet("/api/me", Me).RequireAuthorization();

        var users = app.MapGroup("/api/users").RequireAuthorization(Policies.Admin);
        users.MapPost("", CreateUser);
        users.MapGet("", ListUsers);
        users.MapPost("/{username}/lock", (string username, UserAdministration admin, HttpContext ctx, CancellationToken ct) => admin.SetLocked(username, true, ctx.User, ct));
        users.MapPost("/{username}/unlock", (string username, UserAdministration admin, HttpContext ctx, CancellationToken ct) => admin.SetLocked(username, false, ctx.User, ct));
    }

    private static async Task<IResult> IssueToken(TokenRequest request, SignInService signIn, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            return Problems.Validation(new Dictionary<string, string[]>
            {
                ["username"] = string.IsNullOrWhiteSpace(request.Username) ? ["Cần nhập tên đăng nhập."] : [],
                ["password"] = string.IsNullOrEmpty(request.Password) ? ["Cần nhập mật khẩu."] : [],
            }.Where(p => p.Value.Length > 0).ToDictionary());
        }
        var outcome = await signIn.SignIn(request.Username.Trim(), request.Password, ct);
        return outcome switch
        {
            SignInOutcome.Success s => Results.Ok(new TokenResponse(s.Token, "Bearer", (long)(s.ExpiresAt - clock.GetUtcNow()).TotalSeconds)),
            SignInOutcome.Locked => Problems.Of(401, "account_locked", "Tài khoản đang bị khóa. Liên hệ quản trị hệ thống để mở khóa."),
            SignInOutcome.Throttled t => Throttled(t.RetryAfter),
            _ => Problems.Of(401, "invalid_credentials", "Tên đăng nhập hoặc mật khẩu không đúng."),
        };
    }

    private static IResult Throttled(TimeSpan retryAfter) =>
        Problems.Of(429, "too_many_attempts", "Đăng nhập sai nhiều lần. Vui lòng thử lại sau ít phút.",
            extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = (int)Math.Ceiling(retryAfter.TotalSeconds) });

    private static async Task<IResult> SignOutSession(HttpContext ctx, SignInService signIn, CancellationToken ct)
    {
        string? header = ctx.Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            await signIn.SignOut(header["Bearer ".Length..].Trim(), ct);
        }
        return Results.NoContent();
    }

    private static async Task<IResult> Me(HttpContext ctx, FeesDbContext db, CancellationToken ct)
    {
        var me = CurrentUser.From(ctx.User)!;
        string? orgCode = me.OrgId is null ? null : await db.Orgs.Where(o => o.Id == me.OrgId).Select(o => o.Code).FirstOrDefaultAsync(ct);
        string? memberNo = me.MemberId is null ? null : await db.Members.Where(m => m.Id == me.MemberId).Select(m => m.MemberNo).FirstOrDefaultAsync(ct);
        return Results.Ok(new { me.Username, role = RoleCodes.ToCode(me.Role), orgCode, memberNo });
    }

    private static Task<IResult> CreateUser(CreateUserRequest request, UserAdministration admin, HttpContext ctx, CancellationToken ct) =>
        admin.Create(request, CurrentUser.From(ctx.User)!, ct);

    private static async Task<IResult> ListUsers(FeesDbContext db, CancellationToken ct)
    {
        var users = await (
            from u in db.Users.AsNoTracking()
            join o in db.Orgs on u.OrgId equals o.Id into uo
            from o in uo.DefaultIfEmpty()
            join m in db.Members on u.MemberId equals m.Id into um
            from m in um.DefaultIfEmpty()
            orderby u.Username
            select new UserView(u.Username, RoleCodes.ToCode(u.Role), o == null ? null : o.Code, m == null ? null : m.MemberNo, u.IsLocked))
            .ToListAsync(ct);
        return Results.Ok(users);
    }
}

/// <summary>Creating, locking and unlocking users: each change audited in the same transaction.</summary>
public sealed class UserAdministration(FeesDbContext db, PasswordHashing hashing, AuditTrail audit, TimeProvider clock)
{
    public async Task<IResult> Create(CreateUserRequest request, CurrentUser actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        string username = request.Username?.Trim() ?? "";
        if (username.Length is 0 or > 100 || !username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            errors["username"] = ["Tên đăng nhập gồm 1–100 ký tự chữ, số, '.', '_' hoặc '-'."];
        }
        if (PasswordHashing.Weakness(request.Password) is { } weak)
        {
            errors["password"] = [weak];
        }
        if (!RoleCodes.TryParse(request.Role, out var role))
        {
            errors["role"] = ["Vai trò phải là member, treasurer, office, auditor hoặc admin."];
        }
        long? orgId = null;
        long? memberId = null;
        string? orgPath = null;
        if (errors.Count == 0 && role is Role.Treasurer or Role.Office or Role.Auditor)
        {
            var org = string.IsNullOrWhiteSpace(request.OrgCode) ? null
                : await db.Orgs.Where(o => o.Code == request.OrgCode).Select(o => new { o.Id, o.Path }).FirstOrDefaultAsync(ct);
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
            memberId = string.IsNullOrWhiteSpace(request.MemberNo) ? null
                : await db.Members.Where(m => m.MemberNo == request.MemberNo).Select(m => (long?)m.Id).FirstOrDefaultAsync(ct);
            if (memberId is null)
            {
                errors["memberNo"] = ["Cần số thẻ đảng viên đã có trong hệ thống."];
            }
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        if (await db.Users.AnyAsync(u => u.Username == username, ct))
        {
            return Problems.Conflict("username_taken", "Tên đăng nhập đã tồn tại.");
        }
        var now = clock.GetUtcNow();
        var user = new UserAccount { Username = username, PasswordHash = "", Role = role, OrgId = orgId, MemberId = memberId, CreatedAt = now, UpdatedAt = now };
        user.PasswordHash = hashing.Hash(user, request.Password!);
        db.Users.Add(user);
        audit.Record(actor, "user.create", "user", username, null,
            new { username, role = RoleCodes.ToCode(role), request.OrgCode, request.MemberNo }, orgPath);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: "23505" })
        {
            return Problems.Conflict("username_taken", "Tên đăng nhập đã tồn tại.");
        }
        return Results.Created($"/api/users/{username}",
            new UserView(username, RoleCodes.ToCode(role), orgId is null ? null : request.OrgCode, memberId is null ? null : request.MemberNo, false));
    }

    public async Task<IResult> SetLocked(string username, bool locked, System.Security.Claims.ClaimsPrincipal principal, CancellationToken ct)
    {
        var actor = CurrentUser.From(principal)!;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Username == username, ct);
        if (user is null)
        {
            return Problems.NotFound("tài khoản");
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var before = new { locked = user.IsLocked, failedAttempts = user.FailedAttempts };
        user.IsLocked = locked;
        user.FailedAttempts = 0;
        user.ThrottledUntil = null;
        user.UpdatedAt = clock.GetUtcNow();
        if (locked)
        {
            // Existing sessions end now, not when they expire.
            await db.Sessions.Where(s => s.UserId == user.Id && s.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, clock.GetUtcNow()), ct);
        }
        string? scopePath = user.OrgId is null ? null : await db.Orgs.Where(o => o.Id == user.OrgId).Select(o => o.Path).FirstOrDefaultAsync(ct);
        audit.Record(actor, locked ? "user.lock" : "user.unlock", "user", username, before, new { locked, failedAttempts = 0 }, scopePath);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Results.NoContent();
    }
}

public static class Policies
{
    public const string Admin = "admin";
    public const string Staff = "staff";
    /// <summary>Who records decisions about members' dues: treasurers, office staff, admins (auditors only read).</summary>
    public const string Recorders = "recorders";
    public const string Importers = "importers";
    public const string Auditors = "auditors";
}

using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Persistence;
using Fees.Persistence.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Accounts;

public sealed record TokenRequest(string? Username, string? Password);
public sealed record TokenResponse(string AccessToken, string TokenType, long ExpiresIn);
public sealed record CreateUserRequest(string? Username, string? Password, string? Role, string? OrgCode, string? MemberNo);
public sealed record MeView(string Username, string Role, string? OrgCode, string? MemberNo);

/// <summary>Sign-in (bearer tokens), who am I, and the admin's user management.</summary>
public static class AccountsEndpoints
{
    public static void MapAccounts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", IssueToken).AllowAnonymous().ProducesProblems(400, 401, 429);
        app.MapPost("/api/auth/sign-out", SignOutSession).RequireAuthorization(Policies.SignedIn);
        app.MapGet("/api/me", Me).RequireAuthorization(Policies.SignedIn);

        var users = app.MapGroup("/api/users").RequireAuthorization(Policies.Admin);
        users.MapPost("", CreateUser).ProducesProblems(400, 409);
        users.MapGet("", ListUsers);
        users.MapPost("/{username}/lock", (string username, Users admin, Actor actor, CancellationToken ct) => SetLocked(username, true, admin, actor, ct)).ProducesProblems(404);
        users.MapPost("/{username}/unlock", (string username, Users admin, Actor actor, CancellationToken ct) => SetLocked(username, false, admin, actor, ct)).ProducesProblems(404);
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(TokenRequest request, SignIns signIn, TimeProvider clock, CancellationToken ct)
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
            SignInOutcome.Success s => TypedResults.Ok(new TokenResponse(s.Token, "Bearer", (long)(s.ExpiresAt - clock.GetUtcNow()).TotalSeconds)),
            SignInOutcome.Locked => Problems.Of(401, "account_locked", "Tài khoản đang bị khóa. Liên hệ quản trị hệ thống để mở khóa."),
            SignInOutcome.Throttled t => Problems.Of(429, "too_many_attempts", "Đăng nhập sai nhiều lần. Vui lòng thử lại sau ít phút.",
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = (int)Math.Ceiling(t.RetryAfter.TotalSeconds) }),
            _ => Problems.Of(401, "invalid_credentials", "Tên đăng nhập hoặc mật khẩu không đúng."),
        };
    }

    private static async Task<NoContent> SignOutSession(HttpContext ctx, SignIns signIn, CancellationToken ct)
    {
        string? header = ctx.Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            await signIn.SignOut(header["Bearer ".Length..].Trim(), ct);
        }
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MeView>> Me(Actor me, FeesDbContext db, CancellationToken ct)
    {
        string? orgCode = me.OrgId is null ? null : await db.Orgs.Where(o => o.Id == me.OrgId).Select(o => o.Code).FirstOrDefaultAsync(ct);
        string? memberNo = me.MemberId is null ? null : await db.Members.Where(m => m.Id == me.MemberId).Select(m => m.MemberNo).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(new MeView(me.Username, me.Role.ToCode(), orgCode, memberNo));
    }

    private static async Task<Results<Created<UserSummary>, ProblemHttpResult>> CreateUser(CreateUserRequest request, Users admin, Actor actor, CancellationToken ct)
    {
        var outcome = await admin.Create(request.Username, request.Password, request.Role, request.OrgCode, request.MemberNo, actor, ct);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/users/{outcome.Value.Username}", outcome.Value)
            : Problems.From(outcome.Refusal);
    }

    private static async Task<Ok<List<UserSummary>>> ListUsers(Users admin, CancellationToken ct) => TypedResults.Ok(await admin.List(ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> SetLocked(string username, bool locked, Users admin, Actor actor, CancellationToken ct)
    {
        var outcome = await admin.SetLocked(username, locked, actor, ct);
        return outcome.Succeeded ? TypedResults.NoContent() : Problems.From(outcome.Refusal);
    }
}

using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Outcomes;
using Fees.Persistence;
using Fees.Persistence.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Accounts;

public sealed record TokenRequest(string? Username, string? Password);
public sealed record TokenResponse(string AccessToken, string TokenType, long ExpiresIn);
public sealed record CreateUserRequest(string? Username, string? Password, string? Role, string? OrgCode, string? MemberNo);
public sealed record ResetPasswordRequest(string? Password);
public sealed record MeView(string Username, string Role, string? OrgCode, string? MemberNo);

/// <summary>Sign-in (bearer tokens), who am I, and the admin's user management.</summary>
public static class AccountsEndpoints
{
    public static void MapAccounts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/token", IssueToken).AllowAnonymous().RequireRateLimiting(SignInRateLimit.Policy).ProducesProblems(400, 401, 429);
        app.MapPost("/api/auth/sign-out", SignOutSession).RequireAuthorization(Policies.SignedIn);
        app.MapGet("/api/me", Me).RequireAuthorization(Policies.SignedIn);

        var users = app.MapGroup("/api/users").RequireAuthorization(Policies.Admin);
        users.MapPost("", CreateUser).ProducesProblems(400, 409);
        users.MapGet("", ListUsers).ProducesProblems(400);
        users.MapPost("/{username}/lock", LockUser).ProducesProblems(404, 409);
        users.MapPost("/{username}/unlock", UnlockUser).ProducesProblems(404);
        users.MapPost("/{username}/password", ResetPassword).ProducesProblems(400, 404);
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(TokenRequest request, SignIns signIn, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Username) || request.Username.Length > Users.MaxNameLength)
        {
            errors["username"] = [$"Cần nhập tên đăng nhập (tối đa {Users.MaxNameLength} ký tự)."];
        }
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > PasswordHashing.MaxLength)
        {
            errors["password"] = [$"Cần nhập mật khẩu (tối đa {PasswordHashing.MaxLength} ký tự)."];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        var outcome = await signIn.SignIn(request.Username!.Trim(), request.Password!, ct);
        return outcome is SignInOutcome.Success s
            ? TypedResults.Ok(new TokenResponse(s.Token, "Bearer", (long)(s.ExpiresAt - clock.GetUtcNow()).TotalSeconds))
            : InvalidCredentials();
    }

    /// <summary>
    /// The one answer to every refused sign-in (unknown user, wrong password, locked, locked out): the same status,
    /// code and words, so the reply never tells whether an account exists or is locked.
    /// </summary>
    public static ProblemHttpResult InvalidCredentials() =>
        Problems.Of(StatusCodes.Status401Unauthorized, "invalid_credentials", InvalidCredentialsTitle);

    /// <summary>What a person reads after a refused sign-in, on the API and on the sign-in page.</summary>
    public const string InvalidCredentialsTitle = "Tên đăng nhập hoặc mật khẩu không đúng.";

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

    private static async Task<Results<Ok<UserPage>, ProblemHttpResult>> ListUsers(string? q, int? page, Users admin, CancellationToken ct)
    {
        if (Paging.Check(page) is { } badPage)
        {
            return badPage;
        }
        if (q is { Length: > Users.MaxNameLength })
        {
            return Problems.Field("q", $"Từ khóa tìm kiếm dài tối đa {Users.MaxNameLength} ký tự.");
        }
        return TypedResults.Ok(await admin.List(q, page ?? 1, ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> LockUser(string username, Users admin, Actor actor, CancellationToken ct) =>
        NoContentOr(await admin.Lock(username, actor, ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> UnlockUser(string username, Users admin, Actor actor, CancellationToken ct) =>
        NoContentOr(await admin.Unlock(username, actor, ct));

    /// <summary>An admin sets a user's new password (<c>{"password"}</c>); the user's sessions end.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> ResetPassword(string username, ResetPasswordRequest request, Users admin, Actor actor, CancellationToken ct) =>
        NoContentOr(await admin.ResetPassword(username, request.Password, actor, ct));

    private static Results<NoContent, ProblemHttpResult> NoContentOr(Outcome<Done> outcome) =>
        outcome.Succeeded ? TypedResults.NoContent() : Problems.From(outcome.Refusal);
}

using System.Text.Encodings.Web;
using Fees.Persistence.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Fees.Api.Security;

/// <summary>
/// One authentication scheme for the API and the pages: an opaque session token, sent as
/// <c>Authorization: Bearer …</c> or in the <c>fees_session</c> cookie, looked up on every request. Because the
/// session is server-side, locking a user or signing out takes effect on the very next request.
/// </summary>
public sealed class SessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SignIns signIns)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "FeesSession";
    public const string CookieName = "fees_session";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = ReadToken();
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }
        var actor = await signIns.FindSession(token, Context.RequestAborted);
        if (actor is null)
        {
            return AuthenticateResult.Fail("The session is unknown, expired, revoked, or its user is locked.");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(actor.ToPrincipal(SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // Pages send people to the sign-in page; the API answers 401 with problem details.
        if (IsPageRequest())
        {
            Response.Redirect("/dang-nhap?returnUrl=" + Uri.EscapeDataString(Request.Path + Request.QueryString));
            return Task.CompletedTask;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(statusCode: 401, title: "Chưa đăng nhập hoặc phiên đăng nhập không còn hiệu lực.",
            type: "https://partytthc.vn/problems/unauthorized", extensions: new Dictionary<string, object?> { ["code"] = "unauthorized" })
            .ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        if (IsPageRequest())
        {
            Response.ContentType = "text/html; charset=utf-8";
            return Response.WriteAsync(
                "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Không có quyền</title><link rel=\"stylesheet\" href=\"/css/site.css\"></head>" +
                "<body><main><section class=\"card narrow\"><h1>Không có quyền truy cập</h1><p>Trang này nằm ngoài vai trò hoặc phạm vi quản lý của tài khoản.</p>" +
                "<p><a href=\"/\">Về trang chính</a></p></section></main></body></html>");
        }
        return Results.Problem(statusCode: 403, title: "Bạn không có quyền thực hiện thao tác này.",
            type: "https://partytthc.vn/problems/forbidden", extensions: new Dictionary<string, object?> { ["code"] = "forbidden" })
            .ExecuteAsync(Context);
    }

    private bool IsPageRequest() => !Request.Path.StartsWithSegments("/api", StringComparison.Ordinal);

    private string? ReadToken()
    {
        string? header = Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }
        // Cookies only authenticate pages: the API takes bearer tokens, so a cross-site form can't call it.
        return IsPageRequest() && Request.Cookies.TryGetValue(CookieName, out string? cookie) ? cookie : null;
    }
}

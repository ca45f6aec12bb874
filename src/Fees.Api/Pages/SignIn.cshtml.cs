using Fees.Api.Accounts;
using Fees.Api.Security;
using Fees.Persistence.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Fees.Api.Pages;

/// <summary>
/// Sign-in for the pages: the same users, sessions, rules and answers as the API, carried in an HttpOnly,
/// SameSite=Strict cookie. Attempts (POST) share the API's rate limit per client address.
/// </summary>
[EnableRateLimiting(SignInRateLimit.Policy)]
public sealed class SignInModel(SignIns signIn) : PageModel
{
    public string? Error { get; private set; }
    public string? Username { get; private set; }
    public string? ReturnUrl { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPost(string? username, string? password, string? returnUrl, CancellationToken ct)
    {
        Username = username;
        ReturnUrl = returnUrl;
        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password))
        {
            Error = "Vui lòng nhập tên đăng nhập và mật khẩu.";
            return Page();
        }
        if (username.Length > Users.MaxNameLength || password.Length > PasswordHashing.MaxLength)
        {
            Username = null;
            Error = AccountsEndpoints.InvalidCredentialsTitle;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        var outcome = await signIn.SignIn(username.Trim(), password, ct);
        if (outcome is SignInOutcome.Success s)
        {
            Response.Cookies.Append(SessionAuthenticationHandler.CookieName, s.Token, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = Request.IsHttps,
                Expires = s.ExpiresAt,
                Path = "/",
            });
            return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
        }
        // Unknown, wrong, locked or locked out: the same words as the API, whichever it was.
        Error = AccountsEndpoints.InvalidCredentialsTitle;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}

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
            // A browser-session cookie, no Expires: the session's end is the server's (auth_sessions, checked on every
            // request), so it needs no agreement between the browser's clock and ours, and a shared office computer
            // forgets it when the browser closes. (With Expires from the service's clock, a client whose clock ran
            // ahead dropped the cookie at once: the tests' fixed clock, 8 hours behind the machine's, did.)
            Response.Cookies.Append(SessionAuthenticationHandler.CookieName, s.Token, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = Request.IsHttps,
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

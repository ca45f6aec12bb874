using Fees.Api.Security;
using Fees.Persistence.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fees.Api.Pages;

/// <summary>Sign-in for the pages: the same users and sessions as the API, carried in an HttpOnly, SameSite=Strict cookie.</summary>
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
        var outcome = await signIn.SignIn(username.Trim(), password, ct);
        switch (outcome)
        {
            case SignInOutcome.Success s:
                Response.Cookies.Append(SessionAuthenticationHandler.CookieName, s.Token, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Secure = Request.IsHttps,
                    Expires = s.ExpiresAt,
                    Path = "/",
                });
                return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl! : "/");
            case SignInOutcome.Locked:
                Error = "Tài khoản đang bị khóa. Liên hệ quản trị hệ thống để mở khóa.";
                break;
            case SignInOutcome.Throttled t:
                Error = $"Đăng nhập sai nhiều lần. Vui lòng thử lại sau {Math.Ceiling(t.RetryAfter.TotalSeconds)} giây.";
                break;
            default:
                Error = "Tên đăng nhập hoặc mật khẩu không đúng.";
                break;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}

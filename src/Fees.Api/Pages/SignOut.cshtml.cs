using Fees.Api.Security;
using Fees.Persistence.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fees.Api.Pages;

public sealed class SignOutModel(SignIns signIn) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        if (Request.Cookies.TryGetValue(SessionAuthenticationHandler.CookieName, out string? token))
        {
            await signIn.SignOut(token, ct);
        }
        Response.Cookies.Delete(SessionAuthenticationHandler.CookieName);
        return Redirect("/dang-nhap");
    }
}

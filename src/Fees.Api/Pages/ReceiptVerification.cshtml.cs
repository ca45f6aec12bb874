using System.Globalization;
using Fees.Domain.Receipts;
using Fees.Domain.Time;
using Fees.Persistence.Receipts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fees.Api.Pages;

/// <summary>
/// The public check of a receipt (anyone who scans its QR code, no sign-in): "Biên lai hợp lệ" with exactly what the
/// receipt prints (less the member's card number), or "Không xác minh được biên lai này" and nothing else. The page is
/// kept out of search engines and sends no referrer, so the address (which carries the signature) goes nowhere.
/// </summary>
[AllowAnonymous]
public sealed class ReceiptVerificationModel(PaymentReceipts receipts) : PageModel
{
    public PaymentReceipt? Receipt { get; private set; }

    public async Task<IActionResult> OnGet(string org, int year, string number, [FromQuery(Name = "s")] string? signature, CancellationToken ct)
    {
        Response.Headers["X-Robots-Tag"] = "noindex, nofollow";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        Response.Headers.CacheControl = "no-store";
        Receipt = (await receipts.Verify(org, year, number, signature, ct))?.Receipt;
        if (Receipt is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        return Page();
    }

    /// <summary><c>10:00 ngày 02/12/2026</c> (Vietnam time).</summary>
    public static string Issued(PaymentReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var at = VietnamTime.ToVietnam(receipt.IssuedAt);
        return at.ToString("HH:mm 'ngày' dd/MM/yyyy", CultureInfo.InvariantCulture);
    }
}

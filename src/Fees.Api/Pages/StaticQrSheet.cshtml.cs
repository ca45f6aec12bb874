using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.BankGateway.VietQr;
using Fees.Domain.Accounts;
using Fees.Domain.Organizations;
using Fees.Persistence;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Payments;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Pages;

/// <summary>
/// A printable sheet of every member's static VietQR code for one organization (usually a cell), for elderly members
/// and members without a smartphone: the code carries the member's standing reference, the payer types the amount.
/// Paged (<c>page</c>, <c>pageSize</c> up to <see cref="MaxPageSize"/>): each page reads only its own members and draws
/// only their codes, and stops as soon as the client leaves (the handler's token is the request's).
/// </summary>
[Authorize(Roles = RoleCodes.Treasurer + "," + RoleCodes.Office + "," + RoleCodes.Admin)]
[TracesAccess(AccessActions.StaticQrRead, AccessTargetKind.Org, "code")]
public sealed class StaticQrSheetModel(FeesDbContext db, PaymentRequestStore requests, StaticQrSheets sheets) : PageModel
{
    /// <summary>Slips per page unless asked otherwise: four printed A4 pages of 3 × 3.</summary>
    public const int DefaultPageSize = 36;

    /// <summary>The most slips one page draws (each is a 300-pixel PNG).</summary>
    public const int MaxPageSize = 200;

    public sealed record Slip(string MemberNo, string FullName, string Purpose, string ImageDataUri);

    public OrgUnit Org { get; private set; } = null!;
    public string? BankName { get; private set; }
    public IReadOnlyList<Slip> Slips { get; private set; } = [];
    public int Total { get; private set; }
    public int PageNumber { get; private set; } = 1;
    public int PageSize { get; private set; } = DefaultPageSize;
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>Bad paging arguments, by field, in Vietnamese (the page answers 400).</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    // [FromQuery]: Razor Pages keeps the route value "page" for itself; these come from the query string only.
    public async Task<IActionResult> OnGet(string code, [FromQuery(Name = "page")] string? page, [FromQuery(Name = "pageSize")] string? pageSize,
        CancellationToken ct)
    {
        var me = User.ToActor()!;
        var org = await db.Orgs.AsNoTracking().FirstOrDefaultAsync(o => o.Code == code, ct);
        if (org is null)
        {
            return NotFound();
        }
        if (!me.CanSeeOrgPath(org.Path))
        {
            return Forbid();
        }
        Org = org;
        if (!Paging.TryRead(page, out int? pageNumber) || Paging.PageProblem(pageNumber) is not null)
        {
            Errors["page"] = Paging.PageProblem(pageNumber) ?? $"Số trang phải là số nguyên từ 1 đến {Paging.MaxPage}.";
        }
        if (!Paging.TryRead(pageSize, out int? size) || Paging.SizeProblem(size, MaxPageSize) is not null)
        {
            Errors["pageSize"] = Paging.SizeProblem(size, MaxPageSize) ?? $"Số mã mỗi trang phải là số nguyên từ 1 đến {MaxPageSize}.";
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        PageNumber = pageNumber ?? 1;
        PageSize = size ?? DefaultPageSize;
        if (!org.HasBankAccount)
        {
            return Page();
        }
        BankName = PaymentRequestStore.BankName(org.BankBin!);
        Total = await sheets.Count(org.Id, ct);
        var slips = new List<Slip>(Math.Min(PageSize, Total));
        await foreach (var m in sheets.Page(org.Id, PageNumber, PageSize, ct))
        {
            ct.ThrowIfCancellationRequested();
            var qr = requests.StaticFor(m.Id, org);
            slips.Add(new Slip(m.MemberNo, m.FullName, qr.Purpose, "data:image/png;base64," + Convert.ToBase64String(QrImages.Png(qr.Payload))));
        }
        Slips = slips;
        return Page();
    }

    /// <summary>The address of another page of this sheet, with the same page size.</summary>
    public string PageUrl(int number) =>
        $"/chi-bo/{Uri.EscapeDataString(Org.Code)}/ma-qr-tinh?page={number}" + (PageSize == DefaultPageSize ? "" : $"&pageSize={PageSize}");
}

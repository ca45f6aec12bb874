using Fees.Api.Security;
using Fees.BankGateway.VietQr;
using Fees.Domain.Accounts;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Persistence;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Payments;
using Fees.Persistence.Queries;
using Fees.Domain.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Pages;

/// <summary>
/// A printable sheet of every member's static VietQR code for one organization (usually a cell), for elderly members
/// and members without a smartphone: the code carries the member's standing reference, the payer types the amount.
/// </summary>
[Authorize(Roles = RoleCodes.Treasurer + "," + RoleCodes.Office + "," + RoleCodes.Admin)]
[TracesAccess(AccessActions.StaticQrRead, AccessTargetKind.Org, "code")]
public sealed class StaticQrSheetModel(FeesDbContext db, PaymentRequestStore requests, TimeProvider clock) : PageModel
{
    public sealed record Slip(string MemberNo, string FullName, string Purpose, string ImageDataUri);

    public OrgUnit Org { get; private set; } = null!;
    public string? BankName { get; private set; }
    public IReadOnlyList<Slip> Slips { get; private set; } = [];

    public async Task<IActionResult> OnGet(string code, CancellationToken ct)
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
        if (!org.HasBankAccount)
        {
            return Page();
        }
        BankName = PaymentRequestStore.BankName(org.BankBin!);

        // Members who pay here today: placed here, unless a temporary placement elsewhere takes precedence (as for dues).
        var today = VietnamTime.Today(clock);
        long orgId = org.Id;
        var placements = await (from p in db.Placements.AsNoTracking().InForce(today)
                                where db.Placements.InForce(today).Any(h => h.MemberId == p.MemberId && h.OrgId == orgId)
                                select p).ToListAsync(ct);
        var memberIds = placements.GroupBy(p => p.MemberId)
            .Select(g => MemberPlacement.DuesPlacementOn(g, today)!)
            .Where(p => p.OrgId == orgId)
            .Select(p => p.MemberId)
            .ToList();
        var members = await db.Members.AsNoTracking().Where(m => memberIds.Contains(m.Id))
            .Select(m => new { m.Id, m.MemberNo, m.FullName }).ToListAsync(ct);
        Slips = members
            .OrderBy(m => m.FullName.Split(' ')[^1], StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("vi-VN"), false))
            .ThenBy(m => m.FullName, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("vi-VN"), false))
            .Select(m =>
            {
                var qr = requests.StaticFor(m.Id, org);
                return new Slip(m.MemberNo, m.FullName, qr.Purpose, "data:image/png;base64," + Convert.ToBase64String(QrImages.Png(qr.Payload)));
            })
            .ToList();
        return Page();
    }
}

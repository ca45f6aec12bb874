using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Members;
using Fees.Domain.Time;
using Fees.Persistence.Payments;
using Fees.Persistence.Queries;
using Fees.Persistence.Receipts;
using Fees.Persistence;
using Fees.Persistence.AccessTrace;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Pages;

/// <summary>
/// A member's own dues: what is owed per month with the rule's explanation, the VietQR code to pay it (with everything
/// needed for a manual transfer written beside it), the history of every period, and the receipt (biên lai) of each
/// payment with its PDF and its public verification address.
/// </summary>
[Authorize(Roles = RoleCodes.Member)]
[TracesAccess(AccessActions.DuesPageRead)]
public sealed class MemberDuesModel(FeesDbContext db, PaymentRequestStore requests, PaymentReceipts receipts, TimeProvider clock) : PageModel
{
    public sealed record Line(Period Period, string OrgCode, string OrgName, Money Amount, Money Paid, DuesStatementStatus Status, string RuleId, string Explanation, Money Owed);

    /// <summary>One code per collecting organization (more than one only after a move), or why it cannot be made.</summary>
    public sealed record CodeBlock(string OrgName, IReadOnlyList<Period> Periods, PaymentQr? Qr, string? Refusal, string ImageUrl);

    public string FullName { get; private set; } = "";
    public string MemberNo { get; private set; } = "";
    public string? OrgName { get; private set; }
    public IReadOnlyList<Line> Owed { get; private set; } = [];
    public IReadOnlyList<Line> History { get; private set; } = [];
    public IReadOnlyList<CodeBlock> Codes { get; private set; } = [];
    public Money TotalOwed { get; private set; }
    /// <summary>The member's electronic receipts (biên lai), newest first.</summary>
    public IReadOnlyList<IssuedPaymentReceipt> Receipts { get; private set; } = [];

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        var me = User.ToActor()!;
        if (me.MemberId is not { } memberId)
        {
            return Forbid();
        }
        var member = await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => new { m.MemberNo, m.FullName }).SingleAsync(ct);
        (MemberNo, FullName) = (member.MemberNo, member.FullName);
        var today = VietnamTime.Today(clock);
        OrgName = await (from p in db.Placements.InForce(today)
                         join o in db.Orgs on p.OrgId equals o.Id
                         where p.MemberId == memberId && p.Kind == PlacementKind.Official
                         select o.Name).FirstOrDefaultAsync(ct);

        var rows = await (from s in db.Statements.AsNoTracking()
                          join o in db.Orgs on s.OrgId equals o.Id
                          where s.MemberId == memberId
                          orderby s.Period descending
                          select new { s, o.Code, o.Name }).ToListAsync(ct);
        History = rows.Select(r => new Line(r.s.Period, r.Code, r.Name, r.s.Amount, r.s.Paid, r.s.Status, r.s.RuleId, r.s.Explanation, r.s.Outstanding)).ToList();
        Owed = History.Where(l => l.Owed.IsPositive).OrderBy(l => l.Period).ToList();
        TotalOwed = Money.Sum(Owed.Select(l => l.Owed));

        var groups = Owed.GroupBy(l => l.OrgCode).ToList();
        var codes = new List<CodeBlock>();
        foreach (var g in groups)
        {
            var periods = g.Select(l => l.Period).ToList();
            // A single organization: exactly the API's default request (everything outstanding), so both show one code.
            var wanted = groups.Count == 1 ? null : periods;
            var qr = await requests.Open(memberId, MemberNo, wanted, me, ct);
            string imageUrl = "/dang-phi/ma-qr.png" + (wanted is null ? "" : "?periods=" + Uri.EscapeDataString(string.Join(',', periods)));
            codes.Add(new CodeBlock(g.First().OrgName, periods, qr.Succeeded ? qr.Value : null, qr.Refusal?.Title, imageUrl));
            if (groups.Count > 1)
            {
                // Each organization's request replaces the previous one (one open request per member): show one at a time.
                break;
            }
        }
        Codes = codes;
        Receipts = await receipts.OfMember(memberId, ct);
        return Page();
    }

    public static string Vnd(Money amount) => amount.ToDisplayString();
}

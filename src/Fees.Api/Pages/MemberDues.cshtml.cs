using Fees.Api.Hosting.Demo;
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
/// payment with its PDF and its public verification address. In the demo (a demo bank is on), a "Giả lập chuyển khoản"
/// button beside the code has the fake bank pay it, and the page then waits for the bank's notice (<c>?cho=</c> the
/// code's reference), reloading itself until the payment is booked.
/// </summary>
[Authorize(Roles = RoleCodes.Member)]
[TracesAccess(AccessActions.DuesPageRead)]
public sealed class MemberDuesModel(FeesDbContext db, PaymentRequestStore requests, PaymentReceipts receipts, DemoBank demo, TimeProvider clock) : PageModel
{
    /// <summary>How many times the waiting page reloads itself (every <see cref="WaitReloadMs"/>) before it stops.</summary>
    public const int MaxWaitRounds = 60;
    public const int WaitReloadMs = 2000;

    public sealed record Line(Period Period, string OrgCode, string OrgName, Money Amount, Money Paid, DuesStatementStatus Status, string RuleId, string Explanation, Money Owed);

    /// <summary>One code per collecting organization (more than one only after a move), or why it cannot be made.</summary>
    /// <param name="Wanted">The periods asked for (<c>2026-08,2026-09</c>), or null for everything outstanding.</param>
    public sealed record CodeBlock(string OrgName, IReadOnlyList<Period> Periods, PaymentQr? Qr, string? Refusal, string ImageUrl, string? Wanted);

    public string FullName { get; private set; } = "";
    public string MemberNo { get; private set; } = "";
    public string? OrgName { get; private set; }
    public IReadOnlyList<Line> Owed { get; private set; } = [];
    public IReadOnlyList<Line> History { get; private set; } = [];
    public IReadOnlyList<CodeBlock> Codes { get; private set; } = [];
    public Money TotalOwed { get; private set; }
    /// <summary>The member's electronic receipts (biên lai), newest first.</summary>
    public IReadOnlyList<IssuedPaymentReceipt> Receipts { get; private set; } = [];

    /// <summary>Whether the demo's simulated transfer is offered (a demo bank is on; never outside the demo).</summary>
    public bool DemoBankOn => demo.Enabled;

    /// <summary>The reference of a simulated transfer the bank has not reported yet (its code is still open).</summary>
    public string? WaitingFor { get; private set; }

    /// <summary>How many times the waiting page has reloaded.</summary>
    public int WaitRound { get; private set; }

    /// <summary>A simulated transfer was reported and booked: its code is paid.</summary>
    public bool Arrived { get; private set; }

    /// <summary>The demo bank did not make the transfer.</summary>
    public bool SimulationFailed { get; private set; }

    public async Task<IActionResult> OnGet([FromQuery(Name = "cho")] string? waitingFor, [FromQuery(Name = "lan")] int? round,
        [FromQuery(Name = "loi")] string? error, CancellationToken ct)
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
            codes.Add(new CodeBlock(g.First().OrgName, periods, qr.Succeeded ? qr.Value : null, qr.Refusal?.Title, imageUrl,
                wanted is null ? null : string.Join(',', periods)));
            if (groups.Count > 1)
            {
                // Each organization's request replaces the previous one (one open request per member): show one at a time.
                break;
            }
        }
        Codes = codes;
        Receipts = await receipts.OfMember(memberId, ct);
        if (demo.Enabled)
        {
            SimulationFailed = error == "ngan-hang-gia-lap";
            if (PaymentReference.TryParse(waitingFor, out var reference))
            {
                // Still an open code: the bank has not reported the transfer yet. Gone: it was booked and paid the code.
                bool open = Codes.Any(c => c.Qr?.Reference == reference.Value);
                WaitingFor = open ? reference.Value : null;
                Arrived = !open;
                WaitRound = Math.Clamp(round ?? 0, 0, MaxWaitRounds);
            }
        }
        return Page();
    }

    public static string Vnd(Money amount) => amount.ToDisplayString();
}

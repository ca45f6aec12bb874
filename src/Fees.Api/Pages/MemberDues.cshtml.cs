using Fees.Api.Accounts;
using Fees.Api.Database;
using Fees.Api.Members;
using Fees.Api.Organizations;
using Fees.Api.Payments;
using Fees.Domain.Dues;
using Fees.Domain.Money;
using Fees.Domain.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Pages;

/// <summary>
/// A member's own dues: what is owed per month with the rule's explanation, the VietQR code to pay it (with everything
/// needed for a manual transfer written beside it), and the history of every period.
/// </summary>
[Authorize(Roles = RoleCodes.Member)]
public sealed class MemberDuesModel(FeesDbContext db, PaymentRequests requests, TimeProvider clock) : PageModel
{
    public sealed record Line(Period Period, string OrgCode, string OrgName, long Amount, long Paid, DuesStatementStatus Status, string RuleId, string Explanation)
    {
        public long Owed => Status is DuesStatementStatus.Issued or DuesStatementStatus.PartiallyPaid ? Amount - Paid : 0;
    }

    /// <summary>One code per collecting organization (more than one only after a move), or why it cannot be made.</summary>
    public sealed record CodeBlock(string OrgName, IReadOnlyList<Period> Periods, PaymentQr? Qr, string? Refusal, string ImageUrl);

    public string FullName { get; private set; } = "";
    public string MemberNo { get; private set; } = "";
    public string? OrgName { get; private set; }
    public IReadOnlyList<Line> Owed { get; private set; } = [];
    public IReadOnlyList<Line> History { get; private set; } = [];
    public IReadOnlyList<CodeBlock> Codes { get; private set; } = [];
    public long TotalOwed { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        var me = CurrentUser.From(User)!;
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
                          select new { s.Period, o.Code, o.Name, s.Amount, s.Paid, s.Status, s.RuleId, s.Explanation }).ToListAsync(ct);
        History = rows.Select(r => new Line(Period.Containing(r.Period), r.Code, r.Name, r.Amount, r.Paid, r.Status, r.RuleId, r.Explanation)).ToList();
        Owed = History.Where(l => l.Owed > 0).OrderBy(l => l.Period).ToList();
        TotalOwed = Money.Sum(Owed.Select(l => Money.Vnd(l.Owed))).Dong;

        var groups = Owed.GroupBy(l => l.OrgCode).ToList();
        var codes = new List<CodeBlock>();
        foreach (var g in groups)
        {
            var periods = g.Select(l => l.Period).ToList();
            // A single organization: exactly the API's default request (everything outstanding), so both show one code.
            string? periodsText = groups.Count == 1 ? null : string.Join(',', periods);
            var (qr, refusal) = await requests.Open(memberId, MemberNo, periodsText, me, ct);
            string imageUrl = "/dang-phi/ma-qr.png" + (periodsText is null ? "" : "?periods=" + Uri.EscapeDataString(periodsText));
            codes.Add(new CodeBlock(g.First().OrgName, periods, qr, refusal?.Title, imageUrl));
            if (groups.Count > 1)
            {
                // Each organization's request supersedes the previous one (one open request per member): show one at a time.
                break;
            }
        }
        Codes = codes;
        return Page();
    }

    public static string Vnd(long dong) => Money.Vnd(dong).ToDisplayString();

}

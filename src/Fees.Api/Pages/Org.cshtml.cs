using Fees.Api.Members;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Banking;
using Fees.Domain.Dues;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Time;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Fees.Persistence;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Queries;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Pages;

/// <summary>Browse the organization tree within one's scope: the organization, its children and its members.</summary>
[Authorize(Policy = Policies.Staff)]
[TracesAccess(AccessActions.MemberSearch, AccessTargetKind.Org, "code")]
public sealed class OrgModel(FeesDbContext db, TimeProvider clock) : PageModel
{
    public OrgUnit? Org { get; private set; }
    public string? BankName { get; private set; }
    public IReadOnlyList<OrgUnit> Ancestors { get; private set; } = [];
    public IReadOnlyList<OrgUnit> Children { get; private set; } = [];
    public IReadOnlyList<MemberListItem> Members { get; private set; } = [];
    public int MemberTotal { get; private set; }

    /// <summary>The period shown: the current one in Vietnam time.</summary>
    public Period DuesPeriod { get; private set; }

    /// <summary>This period's statements owed to this organization, by member number.</summary>
    public IReadOnlyDictionary<string, (long Amount, long Paid, DuesStatementStatus Status, string Explanation)> Dues { get; private set; } =
        new Dictionary<string, (long, long, DuesStatementStatus, string)>();

    /// <summary>Counts of this period's statements at this organization, by status; and the total still to collect.</summary>
    public IReadOnlyDictionary<DuesStatementStatus, int> DuesByStatus { get; private set; } = new Dictionary<DuesStatementStatus, int>();
    public long DuesOutstanding { get; private set; }
    public string? Query { get; private set; }

    public async Task<IActionResult> OnGet(string? code, string? q, CancellationToken ct)
    {
        var me = User.ToActor()!;
        if (code is null)
        {
            if (!me.IsAdmin)
            {
                string scopeCode = await db.Orgs.Where(o => o.Id == me.OrgId).Select(o => o.Code).FirstAsync(ct);
                return Redirect("/to-chuc/" + scopeCode);
            }
            Children = await db.Orgs.AsNoTracking().Where(o => o.ParentId == null).OrderBy(o => o.Code).ToListAsync(ct);
            return Page();
        }
        Org = await db.Orgs.AsNoTracking().FirstOrDefaultAsync(o => o.Code == code, ct);
        if (Org is null)
        {
            return NotFound();
        }
        if (!me.CanSeeOrgPath(Org.Path))
        {
            return Forbid();
        }
        BankName = Org.BankBin is not null && NapasBanks.TryFind(Org.BankBin, out var bank) ? bank.ShortName : Org.BankBin;
        var ancestorCodes = Org.AncestorCodes;
        Ancestors = (await db.Orgs.AsNoTracking().Visible(me).Where(o => ancestorCodes.Contains(o.Code)).ToListAsync(ct))
            .OrderBy(o => o.Path.Length).ToList();
        Children = await db.Orgs.AsNoTracking().Where(o => o.ParentId == Org.Id).OrderBy(o => o.Code).ToListAsync(ct);

        Query = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        var today = VietnamTime.Today(clock);
        string path = Org.Path;
        long orgId = Org.Id;
        var orgIds = Query is null
            ? db.Orgs.Where(o => o.Id == orgId).Select(o => o.Id)
            : db.Orgs.Where(o => o.Path.StartsWith(path)).Select(o => o.Id);
        var members = db.Members.AsNoTracking().Where(m => db.Placements.InForce(today).Any(p => p.MemberId == m.Id && orgIds.Contains(p.OrgId)));
        members = MemberLists.Search(members, Query);
        MemberTotal = await members.CountAsync(ct);

        // This period's dues at this organization: what the treasurer collects, and what waits for income data.
        DuesPeriod = VietnamTime.CurrentPeriod(clock);
        var statements = await (from st in db.Statements.AsNoTracking()
                                join m in db.Members on st.MemberId equals m.Id
                                where st.OrgId == orgId && st.Period == DuesPeriod
                                select new { m.MemberNo, Statement = st }).ToListAsync(ct);
        Dues = statements.ToDictionary(x => x.MemberNo, x => (x.Statement.Amount.Dong, x.Statement.Paid.Dong, x.Statement.Status, x.Statement.Explanation), StringComparer.Ordinal);
        DuesByStatus = statements.GroupBy(x => x.Statement.Status).ToDictionary(g => g.Key, g => g.Count());
        DuesOutstanding = Fees.Domain.Amounts.Money.Sum(statements.Select(x => x.Statement.Outstanding)).Dong;
        Members = (await MemberLists.Page(members, 1, db, today).ToListAsync(ct))
            .Select(m => m with { Category = MemberCodes.TryParseCategory(m.Category, out var c) ? c.ToVietnamese() : m.Category })
            .ToList();
        return Page();
    }
}

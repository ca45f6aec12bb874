using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Members;
using Fees.Persistence;
using Fees.Persistence.Queries;
using Fees.Domain.Time;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Pages;

public sealed class IndexModel(FeesDbContext db, TimeProvider clock) : PageModel
{
    public Actor Me { get; private set; } = Actor.System;
    public string DisplayName { get; private set; } = "";
    public string? ScopeName { get; private set; }
    public string? ScopeCode { get; private set; }
    public string? MemberNo { get; private set; }

    public async Task OnGet(CancellationToken ct)
    {
        Me = User.ToActor()!;
        DisplayName = Me.Username;
        if (Me.OrgId is { } orgId)
        {
            var org = await db.Orgs.AsNoTracking().Where(o => o.Id == orgId).Select(o => new { o.Code, o.Name }).FirstAsync(ct);
            (ScopeCode, ScopeName) = (org.Code, org.Name);
        }
        if (Me.MemberId is { } memberId)
        {
            var today = VietnamTime.Today(clock);
            var member = await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => new { m.MemberNo, m.FullName }).FirstAsync(ct);
            (MemberNo, DisplayName) = (member.MemberNo, member.FullName);
            var org = await (from p in db.Placements.InForce(today)
                             join o in db.Orgs on p.OrgId equals o.Id
                             where p.MemberId == memberId && p.Kind == PlacementKind.Official
                             select new { o.Code, o.Name }).FirstOrDefaultAsync(ct);
            (ScopeCode, ScopeName) = (org?.Code, org?.Name);
        }
    }
}

using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Persistence.Auditing;
using Microsoft.EntityFrameworkCore;

namespace Fees.Persistence.Dues;

/// <summary>A member whose dues organization is now <paramref name="NewOrgId"/>.</summary>
public readonly record struct MovedMember(long MemberId, long NewOrgId);

/// <summary>
/// When a member moves (chuyển sinh hoạt đảng chính thức) before paying, the obligation follows them: each statement
/// they still owe at another organization is transferred (<see cref="DuesStatement.TransferRest"/>: what was paid stays
/// in that organization's history, the rest is issued at the new one, naming the statement it continues); a statement
/// still waiting for income data has no money on it yet, so it simply moves. Paid and exempt statements stay.
/// Runs inside the caller's transaction on <paramref name="db"/>; each transfer is audited.
/// </summary>
public sealed class StatementTransfers(FeesDbContext db, AuditWriter audit, TimeProvider clock)
{
    public async Task<int> Apply(IReadOnlyCollection<MovedMember> moved, Actor actor, CancellationToken ct)
    {
        if (moved.Count == 0)
        {
            return 0;
        }
        var now = clock.GetUtcNow();
        var newOrgOf = moved.ToDictionary(m => m.MemberId, m => m.NewOrgId);
        var memberIds = newOrgOf.Keys.ToList();
        var candidates = await db.Statements
            .Where(s => memberIds.Contains(s.MemberId)
                && (s.Status == DuesStatementStatus.AwaitingData || s.Status == DuesStatementStatus.Issued || s.Status == DuesStatementStatus.PartiallyPaid))
            .ToListAsync(ct);
        var following = candidates.Where(s => s.FollowsMemberTo(newOrgOf[s.MemberId])).ToList();
        if (following.Count == 0)
        {
            return 0;
        }
        var orgIds = following.Select(s => s.OrgId).Concat(newOrgOf.Values).Distinct().ToList();
        var orgs = await db.Orgs.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => new { o.Code, o.Path }, ct);

        var continued = new List<(DuesStatement Old, DuesStatementStatus WasStatus, DuesStatement New)>();
        foreach (var s in following)
        {
            long to = newOrgOf[s.MemberId];
            if (s.Status == DuesStatementStatus.AwaitingData)
            {
                s.MoveWhileAwaitingData(to, now);
            }
            else
            {
                var was = s.Status;
                continued.Add((s, was, s.TransferRest(to, now)));
            }
        }
        // The old statements leave the unique (member, period) key before their continuations enter it.
        await db.SaveChangesAsync(ct);
        foreach (var (_, _, rest) in continued)
        {
            db.Statements.Add(rest);
        }
        await db.SaveChangesAsync(ct);
        foreach (var (old, was, rest) in continued)
        {
            var from = orgs[old.OrgId];
            audit.Add(db, actor, AuditEntry.Of("statement.transfer", "statement", old.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new { orgCode = from.Code, status = was.ToCode(), amount = old.Amount.Dong, paid = old.Paid.Dong },
                new { status = old.Status.ToCode(), newStatementId = rest.Id, newOrgCode = orgs[rest.OrgId].Code, remaining = rest.Amount.Dong },
                from.Path));
        }
        await db.SaveChangesAsync(ct);
        return continued.Count;
    }
}

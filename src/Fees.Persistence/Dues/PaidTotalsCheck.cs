using Fees.Domain.Dues;
using Fees.Persistence.Ledger;
namespace Fees.Persistence.Dues;

/// <summary>
/// The monthly paid totals that B01/ĐP reads (<c>dues_paid_by_org_month</c>, kept by triggers on the statements) equal
/// the statements they sum: for every organization in scope and every month, the total is what its statements, other
/// than transferred ones, hold as paid. A total that drifted (a trigger disabled, a row written by hand) is named with
/// its organization and month, and both amounts.
/// </summary>
public sealed class PaidTotalsCheck : IAuditCheck
{
    public const string Name = "paid-totals-match-statements";

    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        return AuditCheckResult.Of(Name,
            "The monthly paid total of every organization (read by B01/ĐP) equals what its statements of that month, other than transferred ones, hold as paid.",
            await run.Violations("""
                with s as (
                  select province_id, period, org_id, sum(paid) as paid
                  from dues_statements
                  where org_id in (select id from orgs_in_subtree(@prefix)) and status <> @transferred
                  group by province_id, period, org_id
                ), t as (
                  select province_id, period, org_id, paid
                  from dues_paid_by_org_month
                  where org_id in (select id from orgs_in_subtree(@prefix))
                )
                select 'total ' || coalesce(t.paid, 0) || ' đồng, statements ' || coalesce(s.paid, 0) || ' đồng',
                       array['paid-total:' || o.code || '/' || to_char(period, 'YYYY-MM')]
                from s full join t using (province_id, period, org_id)
                join orgs o on o.id = org_id
                where coalesce(s.paid, 0) <> coalesce(t.paid, 0)
                """, ct, parameters: [("transferred", DuesStatementStatus.Transferred.ToCode())]));
    }
}

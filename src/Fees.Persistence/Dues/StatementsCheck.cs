using Fees.Domain.Dues;
using Fees.Persistence.Ledger;
namespace Fees.Persistence.Dues;

/// <summary>
/// Dues statements on the live books: a statement's paid amount is never negative and never more than its amount,
/// and every transferred statement is continued by exactly one statement at the new organization for exactly what
/// was left unpaid, and what a statement holds as paid is exactly what receipts allocated to it; a statement is
/// cancelled exactly when a cancellation decision names it, with nothing paid. Continuations, allocations and
/// cancellations are matched to a statement of their own period (the tables are partitioned by it): one in another period
/// counts as none, so a period that does not match shows up as a violation.
/// </summary>
public sealed class StatementsCheck : IAuditCheck
{
    public const string Name = "statements-paid-within-amount";

    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct) =>
        AuditCheckResult.Of(Name,
            "A statement's paid amount is between 0 and its amount and equals what receipts allocated to it; a transferred statement is continued once, for what was left unpaid; a statement is cancelled, with nothing paid, exactly when a recorded decision cancels it.",
            await run.Violations($"""
                select 'paid ' || s.paid || ' đồng of ' || s.amount || ' đồng', array['statement:' || s.id]
                from dues_statements s
                where s.org_id in (select id from orgs_in_subtree(@prefix)) and (s.paid < 0 or s.paid > s.amount)
                union all
                select 'transferred with ' || (s.amount - s.paid) || ' đồng unpaid, continued by '
                       || count(c.id) || ' statement(s) for ' || coalesce(sum(c.amount), 0) || ' đồng',
                       array['statement:' || s.id]
                from dues_statements s
                left join dues_statements c on c.transferred_from_id = s.id and c.period = s.period
                where s.org_id in (select id from orgs_in_subtree(@prefix)) and s.status = @transferred
                group by s.id, s.province_id, s.amount, s.paid
                having count(c.id) <> 1 or coalesce(sum(c.amount), 0) <> s.amount - s.paid
                union all
                select 'paid ' || s.paid || ' đồng, receipts allocated ' || coalesce(a.total, 0) || ' đồng', array['statement:' || s.id]
                from dues_statements s
                left join (select statement_id, period, sum(amount) as total from receipt_allocations group by statement_id, period) a
                  on a.statement_id = s.id and a.period = s.period
                where s.org_id in (select id from orgs_in_subtree(@prefix)) and s.paid <> coalesce(a.total, 0)
                union all
                select case when c.id is null then 'cancelled with no cancellation decision'
                            when s.status <> @cancelled then 'a cancellation decision, but the statement is ' || s.status
                            else 'cancelled with ' || s.paid || ' đồng paid' end,
                       array['statement:' || s.id]
                from dues_statements s
                left join statement_cancellations c on c.statement_id = s.id and c.period = s.period
                where s.org_id in (select id from orgs_in_subtree(@prefix))
                  and (s.status = @cancelled or c.id is not null)
                  and (c.id is null or s.status <> @cancelled or s.paid <> 0)
                """, ct, parameters: [("transferred", DuesStatementStatus.Transferred.ToCode()), ("cancelled", DuesStatementStatus.Cancelled.ToCode())]));
}

using Fees.Domain.Ledger;
using Fees.Persistence.Ledger;

namespace Fees.Persistence.Bank;

/// <summary>
/// Receipts on the live books: each receipt's money is divided without loss (allocated = its allocations, allocated +
/// credited + refunded within the amount), and each bank receipt is in its organization's books exactly once, the
/// bank debited by its amount (source <c>bank-receipt:bt-{inbox id}</c>). A bank line has at most one receipt, across
/// every month's partition, and a bank receipt is dated on its line's booking day in Vietnam: the two facts that make the
/// per-partition key <c>receipts_bank_transaction_id_key (bank_transaction_id, province_id, period)</c> say "once".
/// </summary>
public sealed class ReceiptsCheck : IAuditCheck
{
    public const string Name = "receipts-booked-once";

    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct) =>
        AuditCheckResult.Of(Name,
            "A receipt's allocations add up to what it says is allocated, and each bank receipt is posted once, debiting the bank by its amount; a bank line has one receipt, dated on the line's booking day.",
            await run.Violations("""
                select 'allocated ' || r.allocated || ' đồng, allocations ' || coalesce(sum(a.amount), 0) || ' đồng', array['receipt:' || r.id]
                from receipts r left join receipt_allocations a on a.receipt_id = r.id and a.province_id = r.province_id and a.receipt_period = r.period
                where r.org_id in (select id from orgs_in_subtree(@prefix))
                group by r.id, r.province_id, r.allocated
                having r.allocated <> coalesce(sum(a.amount), 0)
                union all
                select 'bank receipt of ' || r.amount || ' đồng posted ' || count(e.id) || ' time(s), bank debited ' || coalesce(sum(p.amount), 0),
                       array['receipt:' || r.id]
                from receipts r
                left join ledger_sources s on s.source_kind = @kind and s.source_id = 'bt-' || r.bank_transaction_id
                left join ledger_entries e on e.id = s.entry_id and e.province_id = s.province_id and e.period = s.period
                left join ledger_postings p on p.entry_id = e.id and p.province_id = e.province_id and p.period = e.period and p.account_type = @bank
                where r.source = 'bank' and r.org_id in (select id from orgs_in_subtree(@prefix))
                group by r.id, r.province_id, r.amount
                having count(distinct e.id) <> 1 or coalesce(sum(p.amount), 0) <> r.amount
                union all
                select 'bank line ' || r.bank_transaction_id || ' has ' || count(*) || ' receipts', array_agg('receipt:' || r.id order by r.id)
                from receipts r
                where r.source = 'bank' and r.org_id in (select id from orgs_in_subtree(@prefix))
                group by r.bank_transaction_id
                having count(*) > 1
                union all
                select 'dated ' || r.booking_date || ', its bank line booked ' || (t.booked_at at time zone 'Asia/Ho_Chi_Minh')::date, array['receipt:' || r.id]
                from receipts r join bank_transactions t on t.id = r.bank_transaction_id
                where r.source = 'bank' and r.org_id in (select id from orgs_in_subtree(@prefix))
                  and r.booking_date <> (t.booked_at at time zone 'Asia/Ho_Chi_Minh')::date
                """, ct, parameters: [("kind", (short)SourceKind.BankReceipt), ("bank", (short)AccountType.Bank)]));
}

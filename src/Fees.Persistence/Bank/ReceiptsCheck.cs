using Fees.Domain.Ledger;
using Fees.Persistence.Ledger;

namespace Fees.Persistence.Bank;

/// <summary>
/// Receipts on the live books: each receipt's money is divided without loss (allocated = its allocations, allocated +
/// credited + refunded within the amount), and each bank receipt is in its organization's books exactly once, the
/// bank debited by its amount (source <c>bank-receipt:bt-{inbox id}</c>).
/// </summary>
public sealed class ReceiptsCheck : IAuditCheck
{
    public const string Name = "receipts-booked-once";

    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct) =>
        AuditCheckResult.Of(Name,
            "A receipt's allocations add up to what it says is allocated, and each bank receipt is posted once, debiting the bank by its amount.",
            await run.Violations("""
                select 'allocated ' || r.allocated || ' đồng, allocations ' || coalesce(sum(a.amount), 0) || ' đồng', array['receipt:' || r.id]
                from receipts r left join receipt_allocations a on a.receipt_id = r.id
                where r.org_id in (select id from orgs_in_subtree(@prefix))
                group by r.id, r.province_id, r.allocated
                having r.allocated <> coalesce(sum(a.amount), 0)
                union all
                select 'bank receipt of ' || r.amount || ' đồng posted ' || count(e.id) || ' time(s), bank debited ' || coalesce(sum(p.amount), 0),
                       array['receipt:' || r.id]
                from receipts r
                left join ledger_entries e on e.source_kind = @kind and e.source_id = 'bt-' || r.bank_transaction_id
                left join ledger_postings p on p.entry_id = e.id and p.province_id = e.province_id and p.account_type = @bank
                where r.source = 'bank' and r.org_id in (select id from orgs_in_subtree(@prefix))
                group by r.id, r.province_id, r.amount
                having count(distinct e.id) <> 1 or coalesce(sum(p.amount), 0) <> r.amount
                """, ct, parameters: [("kind", (short)SourceKind.BankReceipt), ("bank", (short)AccountType.Bank)]));
}

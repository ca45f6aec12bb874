using Fees.Domain.Ledger;
using Fees.Domain.Remittance;
using Fees.Persistence.Ledger;

namespace Fees.Persistence.Closing;

/// <summary>
/// Closes and remittances on the live books: each standing close is in its books with the amounts it records (collected
/// = retained + remitted, as the database also enforces), a reopened close is reversed; a close that remits has one
/// order of that amount that is not cancelled (a reopened one, a cancelled order); an order paid or confirmed left the
/// child's bank once, and a confirmed one arrived at the parent's bank once, by that amount.
/// </summary>
public sealed class ClosesRecordedCheck : IAuditCheck
{
    public const string Name = "closes-and-remittances-recorded";

    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct)
    {
        int close = (int)SourceKind.PeriodClose, sent = (int)SourceKind.RemittanceSent, arrived = (int)SourceKind.RemittanceReceipt;
        int dues = (int)AccountType.DuesCollected, received = (int)AccountType.RemittancesReceived, retained = (int)AccountType.RetainedShare,
            payable = (int)AccountType.PayableToParent, bank = (int)AccountType.Bank;
        return AuditCheckResult.Of(Name,
            "Each close is in the books as recorded; each remittance order follows its close, left the child's bank and reached the parent's once, by its amount.",
            await run.Violations($"""
                with c as (
                  select c.*, o.code, c.org_id || '/' || to_char(c.period, 'YYYY-MM') || case when c.revision = 1 then '' else '/r' || c.revision end as source_id
                  from period_closes c join orgs o on o.id = c.org_id
                  where c.org_id in (select id from orgs_in_subtree(@prefix))
                ), booked as (
                  select c.id,
                         coalesce(sum(p.amount) filter (where p.account_type = {dues}), 0) as own,
                         coalesce(sum(p.amount) filter (where p.account_type = {received}), 0) as received,
                         coalesce(-sum(p.amount) filter (where p.account_type = {retained}), 0) as retained,
                         coalesce(-sum(p.amount) filter (where p.account_type = {payable}), 0) as remitted,
                         count(e.id) as entries,
                         bool_or(exists (select 1 from ledger_entries x where x.reverses_entry_id = e.id and x.province_id = e.province_id and x.period = e.period)) as reversed
                  from c left join ledger_sources s on s.source_kind = {close} and s.source_id = c.source_id
                         left join ledger_entries e on e.id = s.entry_id and e.province_id = s.province_id and e.period = s.period
                         left join ledger_postings p on p.entry_id = e.id and p.province_id = e.province_id and p.period = e.period
                  group by c.id, c.province_id
                )
                select 'close of ' || to_char(c.period, 'YYYY-MM') || ' records own ' || c.own_collected || ', received ' || c.received_from_children
                       || ', retained ' || c.retained || ', remitted ' || c.remitted || ' but the books say ' || b.own || ', ' || b.received || ', ' || b.retained || ', ' || b.remitted,
                       array['close:' || c.id]
                from c join booked b on b.id = c.id
                where (c.own_collected, c.received_from_children, c.retained, c.remitted) <> (b.own, b.received, b.retained, b.remitted)
                union all
                select 'close of ' || to_char(c.period, 'YYYY-MM') || ' is ' || c.status || ' but its entry is ' || case when b.reversed then 'reversed' else 'standing' end,
                       array['close:' || c.id]
                from c join booked b on b.id = c.id
                where b.entries > 0 and (c.status = 'closed') = coalesce(b.reversed, false)
                union all
                select 'close of ' || to_char(c.period, 'YYYY-MM') || ' remits ' || c.remitted || ' with ' || count(r.id) || ' live order(s) of ' || coalesce(sum(r.amount), 0),
                       array['close:' || c.id]
                from c left join remittance_orders r on r.close_id = c.id and r.status <> @cancelled
                where c.status = 'closed'
                group by c.id, c.province_id, c.period, c.remitted
                having (c.remitted > 0 and (count(r.id) <> 1 or sum(r.amount) <> c.remitted)) or (c.remitted = 0 and count(r.id) > 0)
                union all
                select 'remittance order ' || r.reference || ' is ' || r.status || ' but its close is ' || c.status, array['remittance:' || r.id]
                from remittance_orders r join c on c.id = r.close_id
                where (r.status = @cancelled) <> (c.status = 'reopened')
                union all
                select 'remittance order ' || r.reference || ' (' || r.status || ') of ' || r.amount || ' left the bank ' || count(e.id) || ' time(s), by ' || coalesce(-sum(p.amount), 0),
                       array['remittance:' || r.id]
                from remittance_orders r
                left join ledger_sources s on s.source_kind = {sent} and s.source_id = r.reference
                left join ledger_entries e on e.id = s.entry_id and e.province_id = s.province_id and e.period = s.period and e.org_id = r.org_id
                left join ledger_postings p on p.entry_id = e.id and p.province_id = e.province_id and p.period = e.period and p.account_type = {bank}
                where r.org_id in (select id from orgs_in_subtree(@prefix))
                group by r.id, r.province_id, r.reference, r.status, r.amount
                having (r.status in (@paid, @confirmed) and (count(e.id) <> 1 or coalesce(-sum(p.amount), 0) <> r.amount))
                    or (r.status not in (@paid, @confirmed) and count(e.id) <> 0)
                union all
                select 'remittance order ' || r.reference || ' is confirmed but the parent''s bank received ' || coalesce(sum(p.amount), 0),
                       array['remittance:' || r.id]
                from remittance_orders r
                left join ledger_sources s on s.source_kind = {arrived} and s.source_id = 'bt-' || r.confirmed_transaction_id
                left join ledger_entries e on e.id = s.entry_id and e.province_id = s.province_id and e.period = s.period and e.org_id = r.parent_org_id
                left join ledger_postings p on p.entry_id = e.id and p.province_id = e.province_id and p.period = e.period and p.account_type = {bank}
                where r.status = @confirmed and r.parent_org_id in (select id from orgs_in_subtree(@prefix))
                group by r.id, r.province_id, r.reference, r.amount
                having coalesce(sum(p.amount), 0) <> r.amount or count(distinct e.id) <> 1
                """, ct, parameters:
                [
                    ("paid", RemittanceOrderStatus.Paid.ToCode()), ("confirmed", RemittanceOrderStatus.Confirmed.ToCode()),
                    ("cancelled", RemittanceOrderStatus.Cancelled.ToCode()),
                ]));
    }
}

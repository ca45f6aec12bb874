using Fees.Persistence.Ledger;
using Npgsql;

namespace Fees.Persistence.Receipts;

/// <summary>
/// Electronic receipts on the live books: each organization's receipts of a year are numbered 1…n with no gap and no
/// repeat (n = its counter), every bank payment booked to a member has its receipt, and the latest receipts in scope
/// still verify (stored signature over what they print, by the registered key they name).
/// </summary>
public sealed class PaymentReceiptsCheck(ReceiptKeys keys) : IAuditCheck
{
    public const string Name = "payment-receipts";

    /// <summary>How many of the latest receipts in scope have their signature re-checked on each run (ECDSA costs ~0.1 ms each).</summary>
    public const int SignaturesChecked = 5_000;

    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct)
    {
        var violations = (await run.Violations("""
            select 'receipts of ' || c.year || ': counter at ' || c.last_number || ', ' || count(pr.id) || ' issued, highest number ' || coalesce(max(pr.number), 0),
                   array['org:' || o.code || '/' || c.year]
            from payment_receipt_counters c join orgs o on o.id = c.org_id
            left join payment_receipts pr on pr.org_id = c.org_id and pr.year = c.year
            where c.org_id in (select id from orgs_in_subtree(@prefix))
            group by c.org_id, c.year, c.last_number, o.code
            having count(pr.id) <> c.last_number or count(distinct pr.number) <> c.last_number or coalesce(max(pr.number), 0) <> c.last_number
            union all
            select 'receipt numbered outside any counter', array['payment-receipt:' || pr.id]
            from payment_receipts pr
            where pr.org_id in (select id from orgs_in_subtree(@prefix))
              and not exists (select 1 from payment_receipt_counters c where c.org_id = pr.org_id and c.year = pr.year)
            union all
            select 'bank payment booked to a member has no receipt', array['receipt:' || r.id]
            from receipts r
            where r.source = 'bank' and r.resolution = 'to_member' and r.member_id is not null
              and r.org_id in (select id from orgs_in_subtree(@prefix))
              and not exists (select 1 from payment_receipts pr where pr.receipt_id = r.id and pr.member_id = r.member_id)
            """, ct)).ToList();

        await using (var cmd = new NpgsqlCommand(PaymentReceipts.SelectRows + """
             where pr.org_id in (select id from orgs_in_subtree(@prefix)) order by pr.issued_at desc, pr.id desc limit @limit
            """, run.Connection, run.Transaction))
        {
            cmd.Parameters.AddWithValue("prefix", run.PathPrefix);
            cmd.Parameters.AddWithValue("limit", SignaturesChecked);
            // Read first, then check: a key not yet known is looked up on another connection.
            var rows = new List<(long Id, PaymentReceipts.Row? Row)>();
            await using (var r = await cmd.ExecuteReaderAsync(ct))
            {
                while (await r.ReadAsync(ct))
                {
                    rows.Add((r.GetInt64(0), PaymentReceipts.Map(r)));
                }
            }
            foreach (var (id, row) in rows)
            {
                if (violations.Count >= 100)
                {
                    break;
                }
                if (row is null || !PaymentReceipts.IsIntact(row, await keys.Find(row.KeyId, ct)))
                {
                    violations.Add(new AuditViolation(row is null ? "stored receipt is not a receipt" : "receipt does not verify: altered, or signed with a key that is not registered",
                        ["payment-receipt:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
                }
            }
        }
        return AuditCheckResult.Of(Name,
            "Each organization's receipts of a year are numbered 1…n without gaps or repeats, every bank payment booked to a member has its receipt, " +
            $"and the latest {SignaturesChecked} receipts verify against what they print.",
            violations);
    }
}

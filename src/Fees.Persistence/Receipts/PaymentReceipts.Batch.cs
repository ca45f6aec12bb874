using System.Globalization;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Receipts;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Npgsql;

namespace Fees.Persistence.Receipts;

/// <summary>What one bank receipt of a batch paid for its member, as <see cref="PaymentReceipts.IssueBatch"/> prints it.</summary>
/// <param name="Periods">The member's periods this money paid, oldest first (one per period).</param>
/// <param name="Credit">What it left as the member's credit.</param>
internal sealed record BatchIssue(long ReceiptId, long MemberId, long OrgId, IReadOnlyList<PeriodPayment> Periods, Money Credit, DateTimeOffset BookedAt);

public sealed partial class PaymentReceipts
{
    /// <summary>
    /// Issues the receipts (biên lai) of freshly booked bank receipts in one go, inside the caller's transaction: what
    /// <see cref="Issue"/> does for each, in the order given (numbers per organization and year follow that order, as
    /// they would one at a time), with one counter update, one insert and one audit COPY for the whole batch. The
    /// receipts must be new in this transaction (nothing is issued for them yet).
    /// </summary>
    internal async Task IssueBatch(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<BatchIssue> items, Actor actor, DateTimeOffset now,
        CancellationToken ct)
    {
        if (items.Count == 0)
        {
            return;
        }
        await keys.EnsureRegistered(ct);
        var orgs = new Dictionary<long, (string Code, string Name, string Path, string? Parent)>();
        await using (var cmd = new NpgsqlCommand("""
            select o.id, o.code, o.name, o.path, p.name from orgs o left join orgs p on p.id = o.parent_id where o.id = any(@ids)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("ids", items.Select(i => i.OrgId).Distinct().ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                orgs[r.GetInt64(0)] = (r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4));
            }
        }
        var members = new Dictionary<long, (string No, string Name)>();
        // By the member's whole key, its province from the directory (docs/scaling.md: every lookup of a distributed table names its whole key).
        await using (var cmd = new NpgsqlCommand("""
            select m.id, m.member_no, m.full_name from member_numbers n join members m on m.id = n.member_id and m.province_id = n.province_id
            where n.member_id = any(@ids)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("ids", items.Select(i => i.MemberId).Distinct().ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                members[r.GetInt64(0)] = (r.GetString(1), r.GetString(2));
            }
        }

        // Numbers: one counter move per organization (in organization order, so concurrent batches lock alike).
        int year = VietnamTime.DateOf(now).Year;
        var perOrg = items.GroupBy(i => i.OrgId).OrderBy(g => g.Key).Select(g => (Org: g.Key, Count: g.Count())).ToList();
        var next = new Dictionary<long, int>();
        await using (var counter = new NpgsqlCommand("""
            insert into payment_receipt_counters as c (province_id, org_id, year, last_number)
            select o.province_id, u.org, @year, u.n from unnest(@orgs, @counts) as u(org, n) join orgs o on o.id = u.org order by u.org
            on conflict (org_id, year, province_id) do update set last_number = c.last_number + excluded.last_number
            returning org_id, last_number
            """, conn, tx))
        {
            counter.Parameters.AddWithValue("year", year);
            counter.Parameters.AddWithValue("orgs", perOrg.Select(o => o.Org).ToArray());
            counter.Parameters.AddWithValue("counts", perOrg.Select(o => o.Count).ToArray());
            var counts = perOrg.ToDictionary(o => o.Org, o => o.Count);
            await using var r = await counter.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                long org = r.GetInt64(0);
                next[org] = r.GetInt32(1) - counts[org] + 1;
            }
        }

        int n = items.Count;
        var receipts = new PaymentReceipt[n];
        var signatures = new string[n];
        var numbers = new int[n];
        for (int k = 0; k < n; k++)
        {
            var item = items[k];
            var org = orgs[item.OrgId];
            var member = members[item.MemberId];
            if (item.Periods.Count == 0 && !item.Credit.IsPositive)
            {
                throw new InvalidOperationException($"Nothing of receipt {item.ReceiptId} went to member {item.MemberId}: there is nothing to issue a receipt for.");
            }
            numbers[k] = next[item.OrgId]++;
            receipts[k] = PaymentReceipt.Create(ReceiptNumber.Of(org.Code, year, numbers[k]), org.Name, org.Parent, member.No, member.Name, item.Periods,
                item.Credit, PaymentMethod.Bank, PaymentMethodCodes.SystemCollector, VietnamTime.DateOf(item.BookedAt), now);
            signatures[k] = keys.Signing.Sign(receipts[k]);
        }

        var ids = new Dictionary<long, long>(n);
        await using (var insert = new NpgsqlCommand("""
            insert into payment_receipts (province_id, receipt_id, receipt_period, member_id, org_id, year, number, org_code, org_name, parent_org_name, member_no, member_name,
                                          amount, periods, period_amounts, credit, method, collector, collected_on, issued_at, key_id, signature, issued_by)
            select o.province_id, u.receipt, u.receipt_period, u.member, u.org, @year, u.number, u.org_code, u.org_name, u.parent, u.member_no, u.member_name,
                   u.amount, u.periods::date[], u.period_amounts::bigint[], u.credit, @method, @collector, u.collected_on, @issued_at, @key_id, u.signature, @by
            from unnest(@receipts, @members, @orgs, @numbers, @org_codes, @org_names, @parents, @member_nos, @member_names, @amounts, @periods,
                        @period_amounts, @credits, @collected_on, @signatures, @receipt_periods) with ordinality
                 as u(receipt, member, org, number, org_code, org_name, parent, member_no, member_name, amount, periods, period_amounts, credit,
                      collected_on, signature, receipt_period, ord)
            join orgs o on o.id = u.org -- a receipt's province is its organization's (the co-located foreign key holds it)
            order by u.ord
            returning id, receipt_id
            """, conn, tx))
        {
            insert.Parameters.AddWithValue("year", year);
            insert.Parameters.AddWithValue("receipts", items.Select(i => i.ReceiptId).ToArray());
            insert.Parameters.AddWithValue("members", items.Select(i => i.MemberId).ToArray());
            insert.Parameters.AddWithValue("orgs", items.Select(i => i.OrgId).ToArray());
            insert.Parameters.AddWithValue("numbers", numbers);
            insert.Parameters.AddWithValue("org_codes", receipts.Select(r => r.Number.OrgCode).ToArray());
            insert.Parameters.AddWithValue("org_names", receipts.Select(r => r.OrgName).ToArray());
            insert.Parameters.AddWithValue("parents", receipts.Select(r => r.ParentOrgName).ToArray());
            insert.Parameters.AddWithValue("member_nos", receipts.Select(r => r.MemberNo).ToArray());
            insert.Parameters.AddWithValue("member_names", receipts.Select(r => r.MemberName).ToArray());
            insert.Parameters.AddWithValue("amounts", receipts.Select(r => r.Amount.Dong).ToArray());
            insert.Parameters.AddWithValue("periods", receipts.Select(r => ArrayLiteral(r.Periods.Select(p => p.Period.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))).ToArray());
            insert.Parameters.AddWithValue("period_amounts", receipts.Select(r => ArrayLiteral(r.Periods.Select(p => p.Amount.Dong.ToString(CultureInfo.InvariantCulture)))).ToArray());
            insert.Parameters.AddWithValue("credits", receipts.Select(r => r.Credit.Dong).ToArray());
            insert.Parameters.AddWithValue("collected_on", receipts.Select(r => r.CollectedOn).ToArray());
            insert.Parameters.AddWithValue("signatures", signatures);
            // A bank receipt's period is the month of its booking day (ck_receipts_period): the receipt's whole key.
            insert.Parameters.AddWithValue("receipt_periods", items.Select(i => Period.Containing(VietnamTime.DateOf(i.BookedAt)).FirstDay).ToArray());
            insert.Parameters.AddWithValue("method", PaymentMethod.Bank.ToCode());
            insert.Parameters.AddWithValue("collector", PaymentMethodCodes.SystemCollector);
            insert.Parameters.AddWithValue("issued_at", receipts[0].IssuedAt); // to the second, as every receipt of the batch was created
            insert.Parameters.AddWithValue("key_id", keys.Signing.KeyId);
            insert.Parameters.AddWithValue("by", actor.Username);
            await using var r = await insert.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                ids[r.GetInt64(1)] = r.GetInt64(0);
            }
        }

        await audit.Copy(conn, actor, Enumerable.Range(0, n).Select(k => AuditEntry.Of("payment_receipt.issue", "payment_receipt",
            ids[items[k].ReceiptId].ToString(CultureInfo.InvariantCulture), null,
            new { number = receipts[k].Number.ToString(), receiptId = items[k].ReceiptId, memberNo = receipts[k].MemberNo, amount = receipts[k].Amount.Dong, method = receipts[k].Method.ToCode() },
            orgs[items[k].OrgId].Path)).ToList(), now, ct);
    }

    private static string ArrayLiteral(IEnumerable<string> values) => "{" + string.Join(',', values) + "}";
}

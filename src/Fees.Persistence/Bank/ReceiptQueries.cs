using Fees.Domain.Accounts;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;
using Npgsql;

namespace Fees.Persistence.Bank;

/// <summary>One allocation of a receipt, as the contract names it.</summary>
public sealed record AllocationView(string MemberNo, string Period, long Amount);

/// <summary>A receipt as treasurers, office staff and auditors read it (contract fields first).</summary>
public sealed record ReceiptView(long ReceiptId, string Status, long Amount, string OrgCode, string Content, DateTimeOffset BookedAt,
    IReadOnlyList<AllocationView> Allocations, string Source, long Allocated, long Credited, long Refunded, long Deposited, long InSuspense,
    string? MemberNo, string? Reference, string? CounterpartyName, string? Note);

/// <summary>Reads receipts within an actor's scope.</summary>
public sealed class ReceiptQueries(NpgsqlDataSource dataSource)
{
    /// <summary>The receipt, if the actor may see the organization that received it (404 / 403 otherwise).</summary>
    public async Task<Outcome<ReceiptView>> Get(long receiptId, Actor actor, CancellationToken ct)
    {
        var found = await Read(receiptId, ct);
        if (found is null)
        {
            return Refusal.NotFound("khoản thu");
        }
        return actor.IsStaff || actor.IsAdmin
            ? actor.CanSeeOrgPath(found.Value.OrgPath) ? found.Value.View : Refusal.Forbidden
            : Refusal.Forbidden;
    }

    /// <summary>The receipts of an organization booked in a period, oldest first.</summary>
    public async Task<IReadOnlyList<ReceiptView>> OfPeriod(long orgId, Period period, CancellationToken ct)
    {
        var ids = new List<long>();
        await using (var cmd = dataSource.CreateCommand(
            "select id from receipts where org_id = @org and period = @period and booking_date >= @from and booking_date <= @to order by booked_at, id"))
        {
            cmd.Parameters.AddWithValue("org", orgId);
            cmd.Parameters.AddWithValue("period", period.FirstDay); // the month's partition only
            cmd.Parameters.AddWithValue("from", period.FirstDay);
            cmd.Parameters.AddWithValue("to", period.LastDay);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                ids.Add(r.GetInt64(0));
            }
        }
        return (await ReadMany(ids, ct, period)).Select(v => v.View).ToList();
    }

    private async Task<(ReceiptView View, string OrgPath)?> Read(long receiptId, CancellationToken ct)
    {
        var views = await ReadMany([receiptId], ct);
        return views.Count == 0 ? null : views[0];
    }

    /// <summary>The receipts <paramref name="ids"/>; of <paramref name="period"/> when the caller knows it (one partition is read, not every month's).</summary>
    private async Task<List<(ReceiptView View, string OrgPath)>> ReadMany(IReadOnlyList<long> ids, CancellationToken ct, Period? period = null)
    {
        var allocations = new Dictionary<long, List<AllocationView>>();
        await using (var cmd = dataSource.CreateCommand("""
            select a.receipt_id, n.member_no, a.period, a.amount from receipt_allocations a join member_numbers n on n.member_id = a.member_id
            where a.receipt_id = any(@ids) order by a.receipt_id, a.period, a.id
            """))
        {
            cmd.Parameters.AddWithValue("ids", ids.ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                if (!allocations.TryGetValue(r.GetInt64(0), out var list))
                {
                    allocations[r.GetInt64(0)] = list = [];
                }
                list.Add(new AllocationView(r.GetString(1), Period.Containing(r.GetFieldValue<DateOnly>(2)).ToString(), r.GetInt64(3)));
            }
        }
        var result = new List<(ReceiptView, string)>();
        await using (var cmd = dataSource.CreateCommand("""
            select r.id, r.status, r.amount, o.code, r.content, r.booked_at, r.source, r.allocated, r.credited, r.refunded,
                   m.member_no, r.reference, r.counterparty_name, r.note, o.path, r.deposited
            -- The member's number from the directory (a reference table, unique on member_id): members is sharded and
            -- keyed (id, province_id), and a receipt's member may have moved to another province since.
            from receipts r join orgs o on o.id = r.org_id left join member_numbers m on m.member_id = r.member_id
            where r.id = any(@ids)
            """ + (period is null ? "" : " and r.period = @period")))
        {
            cmd.Parameters.AddWithValue("ids", ids.ToArray());
            if (period is { } p)
            {
                cmd.Parameters.AddWithValue("period", p.FirstDay);
            }
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var byId = new Dictionary<long, (ReceiptView, string)>();
            while (await r.ReadAsync(ct))
            {
                long id = r.GetInt64(0);
                long amount = r.GetInt64(2), allocated = r.GetInt64(7), credited = r.GetInt64(8), refunded = r.GetInt64(9), deposited = r.GetInt64(15);
                byId[id] = (new ReceiptView(id, r.GetString(1), amount, r.GetString(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5),
                    allocations.GetValueOrDefault(id) ?? [], r.GetString(6), allocated, credited, refunded, deposited, amount - allocated - credited - refunded - deposited,
                    r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetString(12),
                    r.IsDBNull(13) ? null : r.GetString(13)), r.GetString(14));
            }
            result.AddRange(ids.Where(byId.ContainsKey).Select(id => byId[id]));
        }
        return result;
    }
}

using Fees.Domain.Accounts;
using Fees.Domain.Ledger;
using Fees.Domain.Remittance;
using Fees.Domain.Time;
using Npgsql;

namespace Fees.Persistence.Closing;

/// <summary>One close as recorded, with its remittance order.</summary>
public sealed record CloseRecord(long Id, string Period, int Revision, string Status, long OwnCollected, long ReceivedFromChildren, long SubtreeCollected,
    long Collected, long Retained, long Remitted, long Shortfall, string? RuleId, string ClosedBy, DateTimeOffset ClosedAt,
    long? RemittanceOrderId, string? RemittanceReference, string? RemittanceStatus, string? RemittanceStatusText, string? Payload);

/// <summary>A child as its parent's close page shows it. Status: <c>closed</c>, <c>waived</c>, <c>not_due</c> or <c>missing</c>.</summary>
public sealed record ChildCloseView(string OrgCode, string OrgName, string Cadence, string Status, string StatusText, string? LatestClose,
    long? Remitted, string? RemittanceStatus, string? RemittanceStatusText);

/// <summary>
/// Where an organization stands for a period's close: its own close (if made), what is still open on its collection
/// accounts, each child's state and why the close is blocked, if it is.
/// </summary>
public sealed record CloseOverview(string OrgCode, string OrgName, string? ParentOrgCode, string Period, string Cadence, bool Due, CloseRecord? Close,
    long OpenOwnCollections, long OpenReceived, IReadOnlyList<ChildCloseView> Children, string? BlockedCode, string? BlockedReason);

/// <summary>Reads of closes for pages and the API: nothing here writes.</summary>
public sealed class CloseQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public async Task<CloseOverview> Overview(long orgId, Period period, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var org = await OrgRow.Read(conn, orgId, ct) ?? throw new InvalidOperationException($"Organization {orgId} does not exist.");
        var cadence = await PeriodCloses.CadenceOf(conn, orgId, ct);
        var children = await PeriodCloses.ChildStates(conn, orgId, period, ct);
        var close = (await Closes(conn, orgId, period, period, ct)).FirstOrDefault(c => c.Status == "closed");
        Period? latest = null;
        await using (var cmd = new NpgsqlCommand("select to_char(max(period), 'YYYY-MM') from period_closes where org_id = @org and status = 'closed'", conn))
        {
            cmd.Parameters.AddWithValue("org", orgId);
            if (await cmd.ExecuteScalarAsync(ct) is string p)
            {
                latest = Period.Parse(p);
            }
        }
        var gate = CloseGate.MayClose(period, VietnamTime.CurrentPeriod(clock), cadence, latest, children);

        long own = 0, received = 0;
        await using (var cmd = new NpgsqlCommand("""
            select coalesce(sum(credit - debit) filter (where account_type = @dues), 0)::bigint, coalesce(sum(credit - debit) filter (where account_type = @received), 0)::bigint
            from ledger_balances where org_id = @org and account_type = any(array[@dues, @received]) and sub_key <= @key
            """, conn))
        {
            cmd.Parameters.AddWithValue("org", orgId);
            cmd.Parameters.AddWithValue("dues", (short)AccountType.DuesCollected);
            cmd.Parameters.AddWithValue("received", (short)AccountType.RemittancesReceived);
            cmd.Parameters.AddWithValue("key", AccountKey.DuesCollected(orgId, period).SubKey);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            own = r.GetInt64(0);
            received = r.GetInt64(1);
        }

        var childViews = new List<ChildCloseView>();
        var remitted = new Dictionary<long, (long Amount, string? Status)>();
        await using (var cmd = new NpgsqlCommand("""
            select c.org_id, c.remitted, r.status
            from period_closes c left join remittance_orders r on r.close_id = c.id
            where c.parent_org_id = @org and c.period = @period and c.status = 'closed'
            """, conn))
        {
            cmd.Parameters.AddWithValue("org", orgId);
            cmd.Parameters.AddWithValue("period", period.FirstDay);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                remitted[r.GetInt64(0)] = (r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2));
            }
        }
        foreach (var c in children)
        {
            (string status, string text) = c.LatestClose is { } p && p >= period ? ("closed", p == period ? "Đã khóa sổ" : "Đã khóa sổ kỳ sau " + p.ToDisplayString())
                : c.Waived ? ("waived", "Được miễn khóa sổ kỳ này")
                : !c.Cadence.Closes(period) ? ("not_due", "Khóa sổ hằng quý: chưa đến kỳ")
                : ("missing", "Chưa khóa sổ");
            var money = remitted.GetValueOrDefault(c.OrgId);
            var remittance = money.Status is null ? (RemittanceOrderStatus?)null : RemittanceOrderStatusCodes.Parse(money.Status);
            childViews.Add(new ChildCloseView(c.Code, c.Name, c.Cadence.ToCode(), status, text, c.LatestClose?.ToString(),
                remitted.ContainsKey(c.OrgId) ? money.Amount : null, remittance?.ToCode(), remittance?.ToVietnamese()));
        }
        return new CloseOverview(org.Code, org.Name, org.ParentCode, period.ToString(), cadence.ToCode(), cadence.Closes(period), close, own, received, childViews,
            gate.Refusal?.Code, gate.Refusal?.Title);
    }

    /// <summary>An organization's closes in a range of periods (both ends included), newest first, reopened ones too.</summary>
    public async Task<IReadOnlyList<CloseRecord>> History(long orgId, Period from, Period to, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await Closes(conn, orgId, from, to, ct);
    }

    private static async Task<List<CloseRecord>> Closes(NpgsqlConnection conn, long orgId, Period from, Period to, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select c.id, c.period, c.revision, c.status, c.own_collected, c.received_from_children, c.subtree_collected, c.retained, c.remitted, c.shortfall,
                   c.rule_id, c.closed_by, c.closed_at, r.id, r.reference, r.status, r.payload
            from period_closes c left join remittance_orders r on r.close_id = c.id
            where c.org_id = @org and c.period between @from and @to
            order by c.period desc, c.revision desc
            """, conn);
        cmd.Parameters.AddWithValue("org", orgId);
        cmd.Parameters.AddWithValue("from", from.FirstDay);
        cmd.Parameters.AddWithValue("to", to.FirstDay);
        var list = new List<CloseRecord>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var status = r.IsDBNull(15) ? (RemittanceOrderStatus?)null : RemittanceOrderStatusCodes.Parse(r.GetString(15));
            list.Add(new CloseRecord(r.GetInt64(0), Period.Containing(DateOnly.FromDateTime(r.GetDateTime(1))).ToString(), r.GetInt32(2), r.GetString(3),
                r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(4) + r.GetInt64(5), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9),
                r.IsDBNull(10) ? null : r.GetString(10), r.GetString(11), r.GetFieldValue<DateTimeOffset>(12),
                r.IsDBNull(13) ? null : r.GetInt64(13), r.IsDBNull(14) ? null : r.GetString(14).Trim(), status?.ToCode(), status?.ToVietnamese(),
                r.IsDBNull(16) ? null : r.GetString(16)));
        }
        return list;
    }
}

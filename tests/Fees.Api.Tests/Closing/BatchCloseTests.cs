using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Domain.Ledger;
using Fees.Domain.Outcomes;
using Fees.Domain.Payments;
using Fees.Domain.Time;
using Fees.Persistence.Closing;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests.Closing;

/// <summary>
/// The level-at-a-time close (<see cref="PeriodCloses.CloseLevel"/>, <see cref="PeriodCloses.CloseSubtree"/>) writes
/// exactly what the one-by-one close writes, row for row (closes, children taken in, remittance orders with their DR
/// references and VietQR, ledger entries and lines, balances, audit records, compared as text), and refuses what it
/// refuses with the same words; a rerun closes nothing; 20 concurrent cascades over one subtree close each organization
/// once. Each test works on its own subtree of the demo province.
/// </summary>
public sealed class BatchCloseTests(FeesApp app) : IClassFixture<FeesApp>, IAsyncLifetime
{
    private static readonly Period November = Period.Of(2026, 11);
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = await app.Admin();
        foreach (string period in new[] { "2026-08", "2026-09", "2026-10", "2026-11" })
        {
            var r = await _admin.PostAsync($"/api/cycles/{period}/generate", null);
            Assert.True(r.IsSuccessStatusCode || r.StatusCode == HttpStatusCode.Conflict, period + ": " + r.StatusCode);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CloseLevel_WritesExactlyWhatTheOneByOneCloseWrites_OnASubtreeWithPayments()
    {
        var tree = await Subtree("HN.P001");
        Assert.True(tree.Levels.Count >= 3, "HN.P001 is an upper committee with base committees and their cells.");
        int paid = await PayIn(tree.Path, 8);
        Assert.True(paid >= 4, $"{paid} members paid in {tree.Path}");
        // A quarterly base cell: refused (not a close month) both ways, and its parent closes without it.
        var quarterly = tree.Orgs.Single(o => o.Code == "HN.P001.C04");
        await app.WithScopeAsync(s => s.GetRequiredService<PeriodCloses>().SetCadence(quarterly.Id, "quarterly", Actor.System, CancellationToken.None));

        await using var conn = await Open();
        string oneByOne, batched;
        Dictionary<string, string> oneByOneOutcomes, batchedOutcomes;
        await using (var tx = await conn.BeginTransactionAsync())
        {
            oneByOneOutcomes = await app.WithScopeAsync(async s =>
            {
                var closes = s.GetRequiredService<PeriodCloses>();
                var outcomes = new Dictionary<string, string>();
                foreach (var level in tree.Levels)
                {
                    foreach (var org in level)
                    {
                        outcomes[org.Code] = Describe(await closes.CloseOn(conn, org.Id, November, Actor.System, null, CancellationToken.None));
                    }
                }
                return outcomes;
            });
            oneByOne = await Snapshot(conn, tree);
            await tx.RollbackAsync();
        }
        await using (var tx = await conn.BeginTransactionAsync())
        {
            batchedOutcomes = await app.WithScopeAsync(async s =>
            {
                var closes = s.GetRequiredService<PeriodCloses>();
                var policy = await RetentionRules.Policy(conn, CancellationToken.None);
                var outcomes = new Dictionary<string, string>();
                foreach (var level in tree.Levels)
                {
                    var result = await closes.CloseLevel(conn, level.Select(o => o.Id).ToList(), November, Actor.System, policy, CancellationToken.None);
                    foreach (var org in level)
                    {
                        outcomes[org.Code] = Describe(result[org.Id]);
                    }
                }
                return outcomes;
            });
            batched = await Snapshot(conn, tree);
            await tx.CommitAsync();
        }

        Assert.Equal(oneByOne, batched);
        Assert.Equal(oneByOneOutcomes.OrderBy(kv => kv.Key, StringComparer.Ordinal), batchedOutcomes.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.StartsWith("refused not_a_close_period", batchedOutcomes[quarterly.Code], StringComparison.Ordinal);
        Assert.Equal(tree.Orgs.Count - 1, batchedOutcomes.Values.Count(v => v.StartsWith("closed", StringComparison.Ordinal)));
        // The snapshot does hold what was closed: orders with their codes, entries in both books, children taken in.
        Assert.Contains("order HN.P001.B01.C01", batched, StringComparison.Ordinal);
        Assert.Contains("payload ok", batched, StringComparison.Ordinal);
        Assert.Contains("entry 5 ", batched, StringComparison.Ordinal);
        Assert.Contains("HN.P001.B01.C01@2026-11-01", batched, StringComparison.Ordinal);
        Assert.DoesNotContain("BAD", batched, StringComparison.Ordinal);
        await _admin.AllChecksPass();
    }

    [Fact]
    public async Task CloseSubtree_ClosesNothingNew_WhenRunAgain()
    {
        var tree = await Subtree("HN.QS");
        await PayIn(tree.Path, 3);
        var first = await Cascade(tree.Path, November);
        Assert.Equal((tree.Orgs.Count, 0, 0), (first.Closed, first.AlreadyClosed, first.Refused.Count));
        string before;
        await using (var conn = await Open())
        {
            before = await Snapshot(conn, tree);
        }

        var again = await Cascade(tree.Path, November);

        Assert.Equal((0, tree.Orgs.Count, 0, 0), (again.Closed, again.AlreadyClosed, again.NotDue, again.Refused.Count));
        await using (var conn = await Open())
        {
            Assert.Equal(before, await Snapshot(conn, tree));
        }
    }

    [Fact]
    public async Task CloseSubtree_ClosesEachOrganizationOnce_Under20ConcurrentCascades()
    {
        var tree = await Subtree("HN.X001");
        await PayIn(tree.Path, 8);

        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Cascade(tree.Path, November))));

        Assert.All(runs, r => Assert.Empty(r.Refused));
        Assert.All(runs, r => Assert.Equal(tree.Orgs.Count, r.Closed + r.AlreadyClosed));
        Assert.Equal(tree.Orgs.Count, runs.Sum(r => r.Closed));
        await using var conn = await Open();
        string ids = string.Join(',', tree.Orgs.Select(o => o.Id));
        Assert.Equal((long)tree.Orgs.Count, await Scalar(conn, $"select count(*) from period_closes where org_id in ({ids}) and period = '2026-11-01'"));
        Assert.Equal((long)tree.Orgs.Count, await Scalar(conn,
            $"select count(*) from audit_log where action = 'period.close' and target_id in (select code from orgs where id in ({ids}))"));
        Assert.Equal(await Scalar(conn, $"select count(*) from period_closes where org_id in ({ids}) and remitted > 0"),
            await Scalar(conn, $"select count(*) from remittance_orders where org_id in ({ids})"));
        Assert.Equal(tree.Orgs.Count - 1L, await Scalar(conn, $"""
            select count(*) from period_close_children k join period_closes c on c.id = k.child_close_id where c.org_id in ({ids})
            """));
        Assert.Equal(0L, await Scalar(conn, "select count(*) from (select entry_id from ledger_postings group by entry_id having sum(amount) <> 0) x"));
        await _admin.AllChecksPass();
    }

    [Fact]
    public async Task Refusals_AreReportedPerOrganization_AsTheOneByOneCloseReportsThem()
    {
        // A parent whose children have not closed: the same refusal, words and children both ways.
        var upper = await Subtree("HN.UB");
        await using (var conn = await Open())
        await using (var tx = await conn.BeginTransactionAsync())
        {
            var (alone, level) = await app.WithScopeAsync<(Outcome<CloseResult>, Outcome<CloseResult>)>(async s =>
            {
                var closes = s.GetRequiredService<PeriodCloses>();
                var root = upper.Levels[^1].Single();
                var one = await closes.CloseOn(conn, root.Id, November, Actor.System, null, CancellationToken.None);
                var many = await closes.CloseLevel(conn, [root.Id], November, Actor.System, await RetentionRules.Policy(conn, CancellationToken.None),
                    CancellationToken.None);
                return (one, many[root.Id]);
            });
            Assert.StartsWith("refused children_not_closed", Describe(alone), StringComparison.Ordinal);
            Assert.Contains("HN.UB.C01", Describe(alone), StringComparison.Ordinal);
            Assert.Equal(Describe(alone), Describe(level));
            await tx.RollbackAsync();
        }

        // A month not over: every organization refused, and reported.
        var committee = await Subtree("HN.CQD");
        var early = await Cascade(committee.Path, Period.Of(2026, 12));
        Assert.Equal(0, early.Closed);
        Assert.Equal(committee.Orgs.Select(o => o.Code).Order(StringComparer.Ordinal), early.Refused.Select(r => r.OrgCode));
        Assert.All(early.Refused, r => Assert.Equal("period_not_over", r.Code));
        Assert.All(early.Refused, r => Assert.StartsWith("Chưa hết ", r.Reason, StringComparison.Ordinal));

        // A quarterly cell is not due in November; its parent closes without it.
        var cells = await Subtree("HN.CA");
        var cell = cells.Orgs.Single(o => o.Code == "HN.CA.C01");
        await app.WithScopeAsync(s => s.GetRequiredService<PeriodCloses>().SetCadence(cell.Id, "quarterly", Actor.System, CancellationToken.None));
        var november = await Cascade(cells.Path, November);
        Assert.Equal((cells.Orgs.Count - 1, 0, 1, 0), (november.Closed, november.AlreadyClosed, november.NotDue, november.Refused.Count));
    }

    private Task<CascadeResult> Cascade(string path, Period period) =>
        app.WithScopeAsync(s => s.GetRequiredService<PeriodCloses>().CloseSubtree(path, period, Actor.System, CancellationToken.None));

    private static string Describe(Outcome<CloseResult> outcome) => outcome.Succeeded
        ? string.Create(CultureInfo.InvariantCulture,
            $"closed {outcome.Value.Period} collected {outcome.Value.Collected} retained {outcome.Value.Retained} remitted {outcome.Value.Remitted} parent {outcome.Value.ParentOrgCode} own {outcome.Value.OwnCollected} received {outcome.Value.ReceivedFromChildren} subtree {outcome.Value.SubtreeCollected} shortfall {outcome.Value.Shortfall} rule {outcome.Value.RuleId} order {outcome.Value.RemittanceOrderId is not null} reference {outcome.Value.RemittanceReference is not null} payload {outcome.Value.Payload is not null}")
        : $"refused {outcome.Refusal.Code} {outcome.Refusal.Kind} {outcome.Refusal.Title} {JsonSerializer.Serialize(outcome.Refusal.Details)}";

    private sealed record Org(long Id, string Code, int Depth);

    /// <summary>An organization's subtree, its levels deepest first (each in id order), and its parent.</summary>
    private sealed record Tree(string Path, IReadOnlyList<Org> Orgs, IReadOnlyList<IReadOnlyList<Org>> Levels, long ParentId);

    private async Task<Tree> Subtree(string code)
    {
        await using var conn = await Open();
        await using var cmd = new NpgsqlCommand("""
            select o.id, o.code, length(o.path) - length(replace(o.path, '/', '')), r.path, r.parent_id
            from orgs r join orgs o on starts_with(o.path, r.path)
            where r.code = @code order by o.id
            """, conn);
        cmd.Parameters.AddWithValue("code", code);
        var orgs = new List<Org>();
        string path = "";
        long parent = 0;
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            orgs.Add(new Org(r.GetInt64(0), r.GetString(1), r.GetInt32(2)));
            path = r.GetString(3);
            parent = r.GetInt64(4);
        }
        var levels = orgs.GroupBy(o => o.Depth).OrderByDescending(g => g.Key).Select(g => (IReadOnlyList<Org>)g.OrderBy(o => o.Id).ToList()).ToList();
        return new Tree(path, orgs, levels, parent);
    }

    /// <summary>Pays everything up to <paramref name="count"/> members of the subtree owe, through the bank feed.</summary>
    private async Task<int> PayIn(string path, int count)
    {
        var members = new List<string>();
        await using (var conn = await Open())
        {
            await using var cmd = new NpgsqlCommand("""
                select distinct m.member_no from dues_statements s join members m on m.id = s.member_id join orgs o on o.id = s.org_id
                where starts_with(o.path, @path) and o.bank_account is not null and s.status = 'issued' and s.amount > 0
                order by 1 limit @n
                """, conn);
            cmd.Parameters.AddWithValue("path", path);
            cmd.Parameters.AddWithValue("n", count);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                members.Add(r.GetString(0));
            }
        }
        foreach (string member in members)
        {
            await app.PayAllOf(_admin, member);
        }
        return members.Count;
    }

    /// <summary>
    /// Everything the closes of the subtree wrote, as text, with generated ids replaced by what they stand for: the close
    /// rows (with the children's closes they took in), the remittance orders (their DR reference checked against their
    /// id, their VietQR against the encoder), the ledger entries of both books with their lines, the balances of the
    /// subtree and its parent, and the audit records (their ids checked against the rows).
    /// </summary>
    private async Task<string> Snapshot(NpgsqlConnection conn, Tree tree)
    {
        var ids = tree.Orgs.Select(o => o.Id).ToArray();
        var text = new StringBuilder();
        await Rows(conn, text, "close", """
            select o.code, c.period, c.revision, p.code, c.cadence, c.own_collected, c.received_from_children, c.subtree_collected, c.retained, c.remitted,
                   c.shortfall, c.rule_id, c.status, c.closed_by, c.closed_at, c.request_id,
                   (select string_agg(co.code || '@' || cc.period, ',' order by k.child_close_id)
                    from period_close_children k join period_closes cc on cc.id = k.child_close_id join orgs co on co.id = cc.org_id
                    where k.parent_close_id = c.id)
            from period_closes c join orgs o on o.id = c.org_id left join orgs p on p.id = c.parent_org_id
            where c.org_id = any(@ids) order by o.code, c.period, c.revision
            """, ids);

        var qr = app.Services.GetRequiredService<IVietQrEncoder>();
        await using (var cmd = new NpgsqlCommand("""
            select r.id, o.code, p.code, r.period, r.amount, r.reference, r.purpose, r.bank_bin, r.account_number, r.account_name, r.payload, r.status,
                   r.created_by, r.created_at, oc.code || '@' || c.period
            from remittance_orders r join orgs o on o.id = r.org_id join orgs p on p.id = r.parent_org_id
            join period_closes c on c.id = r.close_id join orgs oc on oc.id = c.org_id
            where r.org_id = any(@ids) order by o.code, r.period
            """, conn))
        {
            cmd.Parameters.AddWithValue("ids", ids);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                long id = r.GetInt64(0);
                string reference = r.GetString(5).Trim();
                var period = Period.Containing(r.GetFieldValue<DateOnly>(3));
                long amount = r.GetInt64(4);
                string purpose = r.GetString(6);
                string? bin = r.IsDBNull(7) ? null : r.GetString(7).Trim(), account = r.IsDBNull(8) ? null : r.GetString(8);
                string? payload = r.IsDBNull(10) ? null : r.GetString(10);
                string referenceCheck = reference == PaymentReference.ForRemittance(id).Value ? "ok" : "BAD " + reference;
                string purposeCheck = purpose == PaymentReference.Purpose(PaymentReference.ForRemittance(id), [period]) ? "ok" : "BAD " + purpose;
                string payloadCheck = payload is null ? "none"
                    : bin is not null && account is not null && payload == qr.Dynamic(bin, account, Fees.Domain.Amounts.Money.Vnd(amount), purpose) ? "ok" : "BAD " + payload;
                text.Append(CultureInfo.InvariantCulture,
                    $"order {r.GetString(1)} -> {r.GetString(2)} {period} {amount} reference {referenceCheck} purpose {purposeCheck} payload {payloadCheck} ");
                text.Append(CultureInfo.InvariantCulture,
                    $"{bin} {account} {(r.IsDBNull(9) ? null : r.GetString(9))} {r.GetString(11)} {r.GetString(12)} {r.GetFieldValue<DateTimeOffset>(13):O} close {r.GetString(14)}\n");
            }
        }

        await Rows(conn, text, "entry", """
            select e.source_kind, e.source_id, o.code, e.booking_date, e.period, e.memo, e.request_id, e.reverses_entry_id,
                   (select string_agg(l.line_no || ':' || l.account_type || ':' || l.sub_key || ':' || l.amount, ' ' order by l.line_no)
                    from ledger_postings l where l.entry_id = e.id)
            from ledger_entries e join orgs o on o.id = e.org_id
            where e.source_kind in (4, 5) and split_part(e.source_id, '/', 1)::bigint = any(@ids)
            order by e.source_kind, e.source_id
            """, ids);
        await Rows(conn, text, "balance", """
            select o.code, b.account_type, b.sub_key, sum(b.debit), sum(b.credit)
            from ledger_balances b join orgs o on o.id = b.org_id
            where b.org_id = any(@ids)
            group by o.code, b.account_type, b.sub_key order by o.code, b.account_type, b.sub_key
            """, [.. ids, tree.ParentId]);
        await Rows(conn, text, "audit", """
            select a.actor, a.actor_role, a.action, a.target_type, a.target_id, a.before::text, (a.after - 'closeId' - 'remittanceOrderId' - 'childCloses')::text,
                   a.request_id, a.org_path, a.at,
                   (a.after ->> 'closeId')::bigint = c.id,
                   (a.after ->> 'remittanceOrderId')::bigint is not distinct from r.id,
                   a.after -> 'childCloses' = coalesce((select jsonb_agg(k.child_close_id order by k.child_close_id)
                                                       from period_close_children k where k.parent_close_id = c.id), '[]'::jsonb)
            from audit_log a join orgs o on o.code = a.target_id
            join period_closes c on c.org_id = o.id and c.status = 'closed' and c.period = ((a.after ->> 'period') || '-01')::date
            left join remittance_orders r on r.close_id = c.id
            where a.action = 'period.close' and o.id = any(@ids)
            order by a.target_id, a.after ->> 'period'
            """, ids);
        return text.ToString();
    }

    private static async Task Rows(NpgsqlConnection conn, StringBuilder text, string label, string sql, long[] ids)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("ids", ids);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            text.Append(label);
            for (int i = 0; i < r.FieldCount; i++)
            {
                text.Append(' ').Append(r.IsDBNull(i) ? "∅" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture));
            }
            text.Append('\n');
        }
    }

    private async Task<NpgsqlConnection> Open()
    {
        var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        return conn;
    }

    private static async Task<long> Scalar(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}

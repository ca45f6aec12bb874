using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fees.Domain.Time;
using Fees.Persistence.Database;
using Fees.Testing;
using Npgsql;

namespace Fees.Persistence.Tests.Database;

/// <summary>
/// <c>dues_statements</c>, <c>receipt_allocations</c> and <c>receipts</c> are partitioned by period, one partition per
/// month, read from the catalog; a month without partitions is created by the dues generation of that month (twenty concurrent runs
/// included) and by <c>ensure_period_partitions</c>, idempotently; a query for one period reads one partition; a row
/// for a month without a partition is refused (there is no DEFAULT partition); the service's role reaches the rows only
/// through the parents, with the grants it had before; a cancellation names its statement's period.
/// </summary>
public sealed class PeriodPartitionTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task TheTables_ArePartitionedByPeriod_OneMonthEach_FromAugust2026_WithNoDefault_AndKeysThatIncludeIt()
    {
        await using var conn = await Open(app.Database.Owner);
        var partitioned = await Strings(conn, """
            select c.relname || ':' || p.partstrat::text || ':' || a.attname || ':' || (p.partdefid <> 0)::text
            from pg_partitioned_table p join pg_class c on c.oid = p.partrelid
            join pg_attribute a on a.attrelid = c.oid and a.attnum = p.partattrs[0]
            where c.relnamespace = 'public'::regnamespace order by 1
            """);
        Assert.Equal(PeriodPartitions.Tables.Order(StringComparer.Ordinal).Select(t => $"{t}:r:period:false"), partitioned);

        var current = VietnamTime.CurrentPeriod(app.Clock);
        foreach (string table in PeriodPartitions.Tables)
        {
            var parts = await Strings(conn, """
                select c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid)
                from pg_inherits i join pg_class c on c.oid = i.inhrelid
                where i.inhparent = @t::regclass and c.relkind = 'r' order by c.relname
                """, ("t", table));
            var expected = new List<string>();
            for (var p = Period.FirstOnSystem; expected.Count < parts.Count; p = p.Next)
            {
                expected.Add($"{PeriodPartitions.PartitionOf(table, p)} FOR VALUES FROM ('{p.FirstDay:yyyy-MM-dd}') TO ('{p.Next.FirstDay:yyyy-MM-dd}')");
            }
            Assert.Equal(expected, parts);
            Assert.Contains(parts, s => s.StartsWith(PeriodPartitions.PartitionOf(table, current.AddMonths(PeriodPartitions.MonthsAheadAtStart)) + " ", StringComparison.Ordinal));
        }

        // Every primary and unique key of the three tables (and the cancellations' key into statements) carries the period.
        var keys = await Strings(conn, """
            select ic.relname || ' (' || (select string_agg(a.attname, ', ' order by k.n) from unnest(i.indkey) with ordinality as k(attnum, n)
                                          join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum) || ')'
            from pg_index i join pg_class c on c.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
            where c.relname in ('dues_statements', 'receipt_allocations', 'receipts') and c.relnamespace = 'public'::regnamespace and i.indisunique
            order by 1
            """);
        Assert.Equal(
        [
            "ix_dues_statements_member_id_period (member_id, period, province_id)",
            "ix_dues_statements_transferred_from_id (transferred_from_id, province_id, period)",
            "pk_dues_statements (id, province_id, period)",
            "receipt_allocations_pkey (id, province_id, period)",
            "receipts_bank_transaction_id_key (bank_transaction_id, province_id, period)",
            "receipts_pkey (id, province_id, period)",
        ], keys);
        // What names a receipt names its period too (an allocation's own period is its statement's).
        Assert.Equal(
        [
            "payment_receipts: FOREIGN KEY (receipt_id, province_id, receipt_period) REFERENCES receipts(id, province_id, period)",
            "receipt_allocations: FOREIGN KEY (receipt_id, province_id, receipt_period) REFERENCES receipts(id, province_id, period)",
            "treasurer_actions: FOREIGN KEY (receipt_id, province_id, receipt_period) REFERENCES receipts(id, province_id, period)",
        ], await Strings(conn, """
            select k.conrelid::regclass::text || ': ' || pg_get_constraintdef(k.oid) from pg_constraint k
            where k.confrelid = 'receipts'::regclass and k.contype = 'f' and k.conparentid = 0 order by 1
            """));
        Assert.Equal(["FOREIGN KEY (statement_id, province_id, period) REFERENCES dues_statements(id, province_id, period) ON DELETE RESTRICT"], await Strings(conn,
            "select pg_get_constraintdef(k.oid) from pg_constraint k where k.conrelid = 'statement_cancellations'::regclass and k.contype = 'f' and k.conparentid = 0"));
    }

    [Fact]
    public async Task TheServiceRole_KeepsItsGrantsOnTheParents_AndHasNoneOnAPartition()
    {
        await using var conn = await Open(app.Database.Owner);
        string[] privileges = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];
        async Task<List<string>> Granted(string table) => await Strings(conn,
            "select p from unnest(@p) p where has_table_privilege(@role::name, @t::regclass, p) order by array_position(@p, p)",
            ("p", privileges), ("role", DatabaseRoles.AppRole), ("t", table));
        // As DatabaseRoles.GrantAppRole gave them before the tables were partitioned.
        Assert.Equal(["SELECT", "INSERT", "UPDATE", "DELETE"], await Granted("dues_statements"));
        Assert.Equal(["SELECT", "INSERT"], await Granted("receipt_allocations"));
        Assert.Equal(["SELECT", "INSERT", "UPDATE"], await Granted("receipts"));
        Assert.Equal(["SELECT", "INSERT", "UPDATE", "DELETE"], await Granted("statement_cancellations"));
        Assert.Equal(0L, await Scalar(conn, """
            select count(*) from pg_class c cross join unnest(@p) p
            where c.relispartition and c.relkind in ('r', 'p') and c.relnamespace = 'public'::regnamespace and has_table_privilege(@role::name, c.oid, p)
            """, ("p", privileges), ("role", DatabaseRoles.AppRole)));

        // A partition is no way around a revoke: the role may not change an allocation, through the parent or directly.
        await using var asApp = await Open(app.Database.App);
        var direct = await Assert.ThrowsAsync<PostgresException>(() => Scalar(asApp,
            $"update {PeriodPartitions.PartitionOf("receipt_allocations", Period.FirstOnSystem)} set amount = amount + 1"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, direct.SqlState);
        // Nor delete a receipt, through the parent or its month's partition (which it may not even read).
        foreach (string sql in new[]
        {
            "delete from receipts",
            $"delete from {PeriodPartitions.PartitionOf("receipts", Period.FirstOnSystem)}",
            $"update {PeriodPartitions.PartitionOf("receipts", Period.FirstOnSystem)} set amount = amount + 1",
            $"select count(*) from {PeriodPartitions.PartitionOf("receipts", Period.FirstOnSystem)}",
        })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Scalar(asApp, sql));
            Assert.True(refused.SqlState == PostgresErrorCodes.InsufficientPrivilege, sql);
        }
    }

    [Fact]
    public async Task GeneratingAMonthWithoutPartitions_CreatesThem_UnderTwentyConcurrentRuns()
    {
        var december = VietnamTime.CurrentPeriod(app.Clock);
        string statements = PeriodPartitions.PartitionOf("dues_statements", december);
        string allocations = PeriodPartitions.PartitionOf("receipt_allocations", december);
        await using (var conn = await Open(app.Database.Owner))
        {
            Assert.Equal(0L, await Scalar(conn, $"select count(*) from {statements}"));
            // Detached first: the cancellations' foreign key depends on each partition of the statements.
            await Scalar(conn, $"alter table dues_statements detach partition {statements}; drop table {statements}; drop table {allocations}; select 0");
            Assert.Equal(0L, await Scalar(conn, "select count(*) from pg_class where relname = any(@n)", ("n", new[] { statements, allocations })));
        }

        var admin = await app.Admin();
        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => admin.PostAsync($"/api/cycles/{december}/generate", null)));
        Assert.All(runs, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        var bodies = await Task.WhenAll(runs.Where(r => r.IsSuccessStatusCode).Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(FeesApp.DemoMembers, bodies.Sum(b => b.GetProperty("created").GetInt32()));

        await using (var conn = await Open(app.Database.Owner))
        {
            Assert.Equal(FeesApp.DemoMembers, await Scalar(conn, $"select count(*) from {statements}"));
            Assert.Equal(FeesApp.DemoMembers, await Scalar(conn, "select count(*) from dues_statements where period = @p", ("p", december.FirstDay)));
            Assert.Equal(1L, await Scalar(conn, $"select count(*) from pg_inherits where inhrelid = '{allocations}'::regclass and inhparent = 'receipt_allocations'::regclass"));

            // A query for one period reads that month's partition only (pruned at plan time): by member, and by the whole key.
            foreach (string query in new[]
            {
                "explain select * from dues_statements s where s.period = @p and s.member_id = 1",
                "explain select * from dues_statements s where s.period = @p and s.id = 1 and s.province_id = 1",
                "explain select * from receipt_allocations a where a.period = @p and a.statement_id = 1",
            })
            {
                string plan = string.Join('\n', await Strings(conn, query, ("p", december.FirstDay)));
                var touched = Regex.Matches(plan, @"(dues_statements|receipt_allocations)_p\d{4}_\d{2}").Select(m => m.Value).Distinct().ToList();
                Assert.True(touched.Count == 1 && touched[0] == PeriodPartitions.PartitionOf(query.Contains("receipt_allocations", StringComparison.Ordinal) ? "receipt_allocations" : "dues_statements", december), plan);
            }
        }
    }

    [Fact]
    public async Task EnsurePeriodPartitions_IsIdempotent_AndSafeUnderConcurrentCalls()
    {
        var upto = Period.Of(2030, 6);
        await using var owner = await Open(app.Database.Owner);
        long missing = await Scalar(owner, """
            select count(*) from unnest(@tables) t
            cross join generate_series(date '2026-08-01', @upto, interval '1 month') m
            where to_regclass(t || '_p' || to_char(m, 'YYYY_MM')) is null
            """, ("upto", upto.FirstDay), ("tables", PeriodPartitions.Tables.ToArray()));
        Assert.True(missing > 0);
        // Twenty callers at once as the service's role: each month is created by exactly one of them.
        var created = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            await using var conn = await Open(app.Database.App);
            return await PeriodPartitions.Ensure(conn, upto, CancellationToken.None);
        }));
        Assert.Equal(missing, created.Sum());
        await using (var again = await Open(app.Database.App))
        {
            Assert.Equal(0, await PeriodPartitions.Ensure(again, upto, CancellationToken.None));
        }
        Assert.Equal(0L, await Scalar(owner, """
            select count(*) from unnest(@tables) t
            cross join generate_series(date '2026-08-01', @upto, interval '1 month') m
            where to_regclass(t || '_p' || to_char(m, 'YYYY_MM')) is null
            """, ("upto", upto.FirstDay), ("tables", PeriodPartitions.Tables.ToArray())));
    }

    [Fact]
    public async Task ARowForAMonthWithoutPartition_IsRefused_AndACancellationMustNameItsStatementsPeriod()
    {
        await using var conn = await Open(app.Database.App);
        // No DEFAULT partition catches it: refused loudly (the month was never created).
        var far = await Assert.ThrowsAsync<PostgresException>(() => Scalar(conn, """
            insert into dues_statements (member_id, period, org_id, amount, paid, status, rule_id, explanation, applied_rule_ids, inputs, created_at, updated_at)
            select m.id, date '2199-01-01', p.org_id, 1000, 0, 'issued', 'FR-01', 'x', '{}', '{}', now(), now()
            from members m join member_placements p on p.member_id = m.id limit 1
            """));
        Assert.Equal(PostgresErrorCodes.CheckViolation, far.SqlState);
        Assert.Contains("no partition", far.MessageText, StringComparison.Ordinal);

        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        // The foreign key names (id, province_id, period): a cancellation that names another period points at nothing.
        var wrong = await Assert.ThrowsAsync<PostgresException>(() => Scalar(conn, """
            insert into statement_cancellations (province_id, period, statement_id, amount, reason, decided_by, document_ref, recorded_by, recorded_at)
            select s.province_id, date '2026-09-01', s.id, s.amount, 'x', 'x', 'x', 'x', now() from dues_statements s where s.period = date '2026-08-01' limit 1
            """));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, wrong.SqlState);
    }

    internal static async Task<NpgsqlConnection> Open(string connectionString)
    {
        var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        return conn;
    }

    internal static async Task<long> Scalar(NpgsqlConnection conn, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> Strings(NpgsqlConnection conn, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        var rows = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            rows.Add(r.GetString(0));
        }
        return rows;
    }
}

using Fees.Domain.Ledger;
using Fees.Domain.Time;
using Fees.Persistence.Database;
using Fees.Persistence.Ledger;
using Fees.Testing;
using Npgsql;

namespace Fees.Persistence.Tests.Ledger;

/// <summary>
/// The ledger's entries and postings are partitioned by period (migration <c>20261202160000_PartitionLedgerByPeriod</c>):
/// "a source posts once" is <c>ledger_sources</c>' key and "an entry is reversed once" is a key with the period (a
/// reversal is in its target's period, its foreign key says so); twenty identical postings at once into a month that
/// has no partition yet create the month and post one entry into it; the append-only rules hold on every partition,
/// for the owner (triggers) and the service's role (no privilege at all on a partition).
/// </summary>
public sealed class LedgerPartitionTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task TheLedger_IsPartitionedByPeriod_AndItsKeysSayOnce()
    {
        await using var conn = await Open(app.Database.Owner);
        Assert.Equal(["ledger_entries:period", "ledger_postings:period"], await Strings(conn, """
            select c.relname || ':' || a.attname
            from pg_partitioned_table p join pg_class c on c.oid = p.partrelid
            join pg_attribute a on a.attrelid = c.oid and a.attnum = p.partattrs[0]
            where c.relname like 'ledger%' order by 1
            """));
        Assert.Equal(
        [
            "ledger_entries_pkey (id, province_id, period)",
            "ledger_postings_pkey (entry_id, line_no, province_id, period)",
            "ledger_sources_pkey (source_kind, source_id, province_id)",
            "ux_ledger_entries_reverses (reverses_entry_id, province_id, period)",
            "ux_ledger_sources_entry (source_kind, source_id, province_id, entry_id)",
        ], await Strings(conn, """
            select ic.relname || ' (' || (select string_agg(a.attname, ', ' order by k.n) from unnest(i.indkey) with ordinality as k(attnum, n)
                                          join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum) || ')'
            from pg_index i join pg_class c on c.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
            where c.relname in ('ledger_entries', 'ledger_postings', 'ledger_sources') and c.relnamespace = 'public'::regnamespace and i.indisunique
            order by 1
            """));
        Assert.Equal(
        [
            "ledger_entries: FOREIGN KEY (reverses_entry_id, province_id, period) REFERENCES ledger_entries(id, province_id, period)",
            "ledger_entries: FOREIGN KEY (source_kind, source_id, province_id, id) REFERENCES ledger_sources(source_kind, source_id, province_id, entry_id)",
            "ledger_postings: FOREIGN KEY (entry_id, province_id, period) REFERENCES ledger_entries(id, province_id, period)",
        ], await Strings(conn, """
            select c.relname || ': ' || pg_get_constraintdef(k.oid) from pg_constraint k join pg_class c on c.oid = k.conrelid
            where c.relname in ('ledger_entries', 'ledger_postings', 'ledger_sources') and k.contype = 'f' and k.conparentid = 0
              and k.confrelid <> 'orgs'::regclass
            order by 1
            """));
    }

    [Fact]
    public async Task TwentyIdenticalPostingsAtOnce_IntoAMonthWithoutPartition_CreateItAndPostOneEntryThere()
    {
        var cell = await app.Org(app.Demo.CellCode);
        var store = app.Store();
        foreach (var (month, source) in new[] { (Period.Of(2031, 3), "FT-new-month"), (Period.Of(2025, 12), "FT-before-the-system") })
        {
            string entries = PeriodPartitions.PartitionOf("ledger_entries", month), postings = PeriodPartitions.PartitionOf("ledger_postings", month);
            Assert.Equal(0, await app.Scalar($"select count(*) from pg_class where relname in ('{entries}', '{postings}')"));

            var entry = LedgerTestData.Receipt(cell.Id, source, 120_000, date: month.FirstDay.AddDays(9));
            var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.Post(entry))));

            Assert.Single(results, r => r.Status == PostStatus.Posted);
            Assert.Equal(19, results.Count(r => r.Status == PostStatus.Duplicate && !r.ContentDiffers));
            Assert.Single(results.Select(r => r.EntryId).Distinct());
            long id = results[0].EntryId!.Value;
            Assert.Equal(1, await app.Scalar($"select count(*) from {entries} where id = {id} and source_id = '{source}'"));
            Assert.Equal(1, await app.Scalar($"select count(*) from ledger_entries where source_id = '{source}'"));
            Assert.Equal(entry.Lines.Count, await app.Scalar($"select count(*) from {postings} where entry_id = {id}"));
            Assert.Equal(1, await app.Scalar($"select count(*) from ledger_sources where source_id = '{source}' and entry_id = {id} and period = '{month.FirstDay:yyyy-MM-dd}'"));
            // The month alone: a bank line booked on an odd day does not make every month in between.
            Assert.Equal(0, await app.Scalar($"select count(*) from pg_class where relname = '{PeriodPartitions.PartitionOf("ledger_entries", month.AddMonths(-1))}'"));
            var found = await store.Find(entry.Source);
            Assert.Equal(id, found!.Value.Id);
            Assert.True(found.Value.Entry.SameContentAs(entry));
        }
    }

    [Fact]
    public async Task AReversal_IsInItsTargetsPeriod_AndASecondOneIsRefused_EvenWrittenByHand()
    {
        var cell = await app.Org(app.Demo.SiblingCellCode);
        var store = app.Store();
        var posted = await store.Post(LedgerTestData.Receipt(cell.Id, "FT-seam-1", 40_000, date: new DateOnly(2026, 9, 30)));
        // Reversed in another month: the reversal keeps the entry's period, so it lands in September's partition.
        var reversal = await store.Reverse(posted.Entry!.Source, new EntrySource(SourceKind.Reversal, "seam-rev-1"), new DateOnly(2026, 10, 1), "nhầm");
        Assert.Equal(PostStatus.Posted, reversal.Status);
        Assert.Equal(Period.Of(2026, 9), reversal.Entry!.Period);
        Assert.Equal(1, await app.Scalar($"select count(*) from ledger_entries_p2026_09 where id = {reversal.EntryId} and reverses_entry_id = {posted.EntryId}"));
        var again = await store.Reverse(posted.Entry!.Source, new EntrySource(SourceKind.Reversal, "seam-rev-2"), new DateOnly(2026, 10, 2), "lần hai");
        Assert.Equal(PostStatus.Rejected, again.Status);

        // Past the service's checks, as the owner: a second reversal in the target's period breaks the reverse-once key,
        // one in another period names no entry, and an entry for a source that already has one names no source row.
        await using var conn = await Open(app.Database.Owner);
        async Task<PostgresException> Refused(string sourceId, string entrySource, string period, string reverses) =>
            await Assert.ThrowsAsync<PostgresException>(() => Execute(conn, $"""
            with s as (
              insert into ledger_sources (source_kind, source_id, province_id, entry_id, period)
              select source_kind, '{sourceId}', province_id, nextval('ledger_entries_id_seq'), date '{period}' from ledger_entries where id = {posted.EntryId}
              returning *
            )
            insert into ledger_entries (id, province_id, org_id, source_kind, source_id, booking_date, period, memo, reverses_entry_id)
            select s.entry_id, e.province_id, e.org_id, s.source_kind, {entrySource}, date '2026-10-03', s.period, 'x', {reverses}
            from s cross join ledger_entries e where e.id = {posted.EntryId}
            """));
        var sameSource = await Refused("seam-hand-1", "e.source_id", "2026-09-01", "null");
        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "ledger_entries_source_fkey"), (sameSource.SqlState, sameSource.ConstraintName));
        var otherPeriod = await Refused("seam-hand-2", "s.source_id", "2026-10-01", posted.EntryId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, "ledger_entries_reverses_fkey"), (otherPeriod.SqlState, otherPeriod.ConstraintName));
        var twice = await Assert.ThrowsAsync<PostgresException>(() => Execute(conn, $"""
            with s as (
              insert into ledger_sources (source_kind, source_id, province_id, entry_id, period)
              select {(int)SourceKind.Reversal}, 'seam-hand-3', province_id, nextval('ledger_entries_id_seq'), period from ledger_entries where id = {posted.EntryId}
              returning *
            )
            insert into ledger_entries (id, province_id, org_id, source_kind, source_id, booking_date, period, memo, reverses_entry_id)
            select s.entry_id, s.province_id, e.org_id, s.source_kind, s.source_id, date '2026-10-03', s.period, 'x', e.id
            from s cross join ledger_entries e where e.id = {posted.EntryId}
            """));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, twice.SqlState);
        Assert.True(LedgerStore.IsReversedTwice(twice), twice.ConstraintName);
    }

    [Theory]
    [InlineData("update ledger_entries_p2026_08 set memo = 'x'")]
    [InlineData("delete from ledger_entries_p2026_08")]
    [InlineData("update ledger_postings_p2026_08 set amount = amount + 1")]
    [InlineData("delete from ledger_postings_p2026_08")]
    [InlineData("truncate ledger_postings_p2026_08")]
    [InlineData("update ledger_sources set period = period")]
    [InlineData("delete from ledger_sources")]
    [InlineData("truncate ledger_sources cascade")]
    public async Task APartitionOrTheSources_RefuseEveryRewrite_ToTheOwnerAndTheServiceRole(string sql)
    {
        var cell = await app.Org(app.Demo.CellCode);
        await app.Store().Post(LedgerTestData.Receipt(cell.Id, "FT-partition-immutable", 1_000));
        await using (var asApp = await Open(app.Database.App))
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => Execute(asApp, sql));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        }
        await using (var owner = await Open(app.Database.Owner))
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => Execute(owner, sql));
            Assert.Contains("append-only", e.MessageText, StringComparison.Ordinal);
        }
        Assert.Equal(1, await app.Scalar("select count(*) from ledger_entries_p2026_08 where source_id = 'FT-partition-immutable'"));
    }

    [Fact]
    public async Task EveryLedgerPartition_HasItsOwnTruncateRefusal_AndTheServiceRoleNothingOnIt()
    {
        await using var conn = await Open(app.Database.Owner);
        Assert.Equal(0, await Scalar(conn, """
            select count(*) from pg_inherits i join pg_class c on c.oid = i.inhrelid
            where i.inhparent in ('ledger_entries'::regclass, 'ledger_postings'::regclass)
              and not exists (select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgname = c.relname || '_no_truncate')
            """));
        Assert.True(await Scalar(conn, "select count(*) from pg_inherits where inhparent = 'ledger_entries'::regclass") >= 12);
        Assert.Equal(0, await Scalar(conn, """
            select count(*) from pg_inherits i cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p
            where i.inhparent in ('ledger_entries'::regclass, 'ledger_postings'::regclass) and has_table_privilege(@role::name, i.inhrelid, p)
            """, ("role", DatabaseRoles.AppRole)));
    }

    private static async Task<NpgsqlConnection> Open(string connectionString)
    {
        var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        return conn;
    }

    private static async Task Execute(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<long> Scalar(NpgsqlConnection conn, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<string>> Strings(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        var rows = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            rows.Add(r.GetString(0));
        }
        return rows;
    }
}

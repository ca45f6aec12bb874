using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Time;
using Fees.Persistence.Database;
using Fees.Testing;
using Npgsql;

namespace Fees.Persistence.Tests.Database;

/// <summary>
/// A month's statements partition is analyzed by the generation that filled it (<see cref="PartitionStatistics"/>), not
/// a minute later by autovacuum, which is switched off on it here so that nothing else can: the planner's row count of
/// the month is the statements written. A refresh leaves alone what has not grown, and the service's role can ask for
/// one but cannot analyze a table itself.
/// </summary>
public sealed class PartitionStatisticsTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task Generation_AnalyzesTheMonthItFilled_AndARefreshLeavesAnUngrownMonthAlone()
    {
        var december = VietnamTime.CurrentPeriod(app.Clock);
        string statements = PeriodPartitions.PartitionOf("dues_statements", december);
        await using var owner = await Open(app.Database.Owner);
        Assert.Equal(0L, await Scalar(owner, $"select count(*) from {statements}"));
        // As a month is created: analyzed while empty; and nobody but the generation may analyze it again.
        await Scalar(owner, $"analyze {statements}; alter table {statements} set (autovacuum_enabled = false); select 0");
        Assert.Equal(0L, await Scalar(owner, "select reltuples::bigint from pg_class where relname = @n", ("n", statements)));

        var admin = await app.Admin();
        var response = await admin.PostAsync($"/api/cycles/{december}/generate", null);
        response.EnsureSuccessStatusCode();
        int created = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32();
        Assert.Equal(FeesApp.DemoMembers, created);

        Assert.Equal(created, await Scalar(owner, "select reltuples::bigint from pg_class where relname = @n", ("n", statements)));
        Assert.Equal(1L, await Scalar(owner, "select count(*) from pg_stats where tablename = @n and attname = 'province_id'", ("n", statements)));

        // Nothing grew since: the service's role may ask, and nothing is analyzed.
        await using var asApp = await Open(app.Database.App);
        Assert.Equal(0L, await Scalar(asApp, "select period_statistics_refresh(@p)", ("p", december.FirstDay)));
        // Outside the months on system, nothing at all.
        Assert.Equal(0L, await Scalar(asApp, "select period_statistics_refresh(date '2026-07-01')"));
    }

    [Fact]
    public async Task Generation_AnalyzesItsInputsFirst_WhenAFifthOfTheirRowsChangedSinceTheirStatistics()
    {
        await using var owner = await Open(app.Database.Owner);
        // Only the generation may analyze members here: autovacuum is off on it for the test.
        await Scalar(owner, "alter table members set (autovacuum_enabled = false); select 0");
        try
        {
            await Scalar(owner, "analyze members; select 0");
            const string Analyzed = "select coalesce(extract(epoch from last_analyze) * 1000, 0)::bigint from pg_stat_user_tables where relname = 'members'";
            long before = await Scalar(owner, Analyzed);
            // Every member rewritten twice, as imports of changes would (the same values): more than a fifth, and more
            // than 500 rows, changed.
            long changed = 0;
            while (changed <= 500)
            {
                changed += await Scalar(owner, "with u as (update members set full_name = full_name returning 1) select count(*) from u");
            }
            // The statistics system counts the changes when the writing session reports them (within a second or so).
            for (int i = 0; i < 100 && await Scalar(owner, "select n_mod_since_analyze from pg_stat_user_tables where relname = 'members'") < changed; i++)
            {
                await Task.Delay(100);
            }
            await Task.Delay(1100); // last_analyze has millisecond precision; the refresh must be seen to come after
            Assert.Equal(before, await Scalar(owner, Analyzed));

            var admin = await app.Admin();
            // November: the other test of this class needs December untouched.
            var response = await admin.PostAsync($"/api/cycles/{VietnamTime.CurrentPeriod(app.Clock).AddMonths(-1)}/generate", null);
            response.EnsureSuccessStatusCode();

            long after = await Scalar(owner, Analyzed);
            Assert.True(after > before, "generation analyzed the members before planning");
            // The service's role may ask again, and the members, settled since, are left alone. (Whether some other
            // input is analyzed then depends on when the fixture's own sessions report their writes to the statistics
            // system, up to ten seconds after them; so only the members are asserted.)
            await using var asApp = await Open(app.Database.App);
            Assert.InRange(await Scalar(asApp, "select generation_statistics_refresh()"), 0, 6);
            Assert.Equal(after, await Scalar(owner, Analyzed));
        }
        finally
        {
            await Scalar(owner, "alter table members reset (autovacuum_enabled); select 0");
        }
    }

    [Fact]
    public async Task TwentyConcurrentRefreshes_OfStaleInputs_AnalyzeOnceAndNoneFails()
    {
        await using var owner = await Open(app.Database.Owner);
        await Scalar(owner, "alter table members set (autovacuum_enabled = false); select 0");
        try
        {
            long changed = 0;
            while (changed <= 500)
            {
                changed += await Scalar(owner, "with u as (update members set full_name = full_name returning 1) select count(*) from u");
            }
            for (int i = 0; i < 100 && await Scalar(owner, "select n_mod_since_analyze from pg_stat_user_tables where relname = 'members'") < changed; i++)
            {
                await Task.Delay(100);
            }

            // Twenty sessions of the service's role ask at once (two ANALYZEs of one table at once would fail with
            // "tuple concurrently updated"): the refresh runs once at a time, the others are told one is running (-1)
            // or find nothing left to do (0), and none fails.
            using var start = new SemaphoreSlim(0);
            var calls = Enumerable.Range(0, 20).Select(async _ =>
            {
                await using var asApp = await Open(app.Database.App);
                await start.WaitAsync();
                return await Scalar(asApp, "select generation_statistics_refresh()");
            }).ToList();
            start.Release(20);
            long[] answers = await Task.WhenAll(calls);

            Assert.All(answers, a => Assert.InRange(a, -1, 6));
            Assert.Contains(answers, a => a >= 1); // the members were analyzed, by one of them
            Assert.True(await Scalar(owner, "select n_mod_since_analyze from pg_stat_user_tables where relname = 'members'") < changed);
        }
        finally
        {
            await Scalar(owner, "alter table members reset (autovacuum_enabled); select 0");
        }
    }

    [Fact]
    public async Task AFreshlyMigratedDatabase_HasNoTableAnalyzedWhileEmpty()
    {
        // Analyzed empty (reltuples 0), a table's cached generic plans (every foreign-key check's) scan it sequentially
        // until autovacuum analyzes it again; never analyzed (-1), the planner assumes ten pages and uses the keys. The
        // migrations that move rows analyze only what they filled (PartitionStatistics.AnalyzeWhereFilledSql).
        var fresh = await TestCluster.NewDatabase("fresh_statistics");
        await using var owner = await Open(fresh.Owner);
        await using var cmd = new NpgsqlCommand("""
            select string_agg(relname, ', ' order by relname) from pg_class
            where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') and reltuples = 0
            """, owner);
        Assert.Null(await cmd.ExecuteScalarAsync() as string);
    }

    private static Task<NpgsqlConnection> Open(string connectionString) => PeriodPartitionTests.Open(connectionString);

    private static Task<long> Scalar(NpgsqlConnection conn, string sql, params (string Name, object Value)[] parameters) =>
        PeriodPartitionTests.Scalar(conn, sql, parameters);
}

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

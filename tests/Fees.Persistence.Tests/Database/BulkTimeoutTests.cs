using System.Text;
using Fees.Domain.Accounts;
using Fees.Domain.Time;
using Fees.Persistence.Database;
using Fees.Persistence.Dues;
using Fees.Persistence.Imports;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Persistence.Tests.Database;

/// <summary>
/// Bulk statements (an import's merge, a generation's insert) run longer than Npgsql's default 30-second command
/// timeout at national scale, and a timeout rolls the whole file or run back. These tests give the service a connection
/// whose default timeout is 1 s and make the bulk insert take 1.5 s (a statement trigger that sleeps): the import and
/// the generation still succeed because their commands carry <see cref="BulkCommands.Timeout"/>, while an ordinary
/// command on the same data source does time out (so the 1 s setting is really in force).
/// </summary>
public sealed class BulkTimeoutTests
{
    private static async Task<(ServiceProvider Services, DatabaseConnections Database)> ServiceWithOneSecondTimeout()
    {
        var database = await TestCluster.NewDatabase("bulktimeout");
        var impatient = new NpgsqlConnectionStringBuilder(database.App) { CommandTimeout = 1 };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions();
        services.AddSingleton(TimeProvider.System);
        services.AddFeesPersistence(database with { App = impatient.ConnectionString });
        return (services.BuildServiceProvider(), database);
    }

    /// <summary>Every INSERT statement into <paramref name="table"/> takes 1.5 s from now on.</summary>
    private static async Task SlowInserts(string owner, string table)
    {
        await using var conn = new NpgsqlConnection(owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"""
            create or replace function bulk_timeout_test_sleep() returns trigger language plpgsql as $$
            begin perform pg_sleep(1.5); return null; end $$;
            create trigger bulk_timeout_test_sleep after insert on {table} for each statement execute function bulk_timeout_test_sleep();
            """, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<ImportOutcome> Import(IServiceProvider services, ImportKind kind, string csv)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ImportService>()
            .Import(kind, new MemoryStream(Encoding.UTF8.GetBytes(csv)), Actor.System, CancellationToken.None);
    }

    private static async Task AssertOrdinaryCommandTimesOut(IServiceProvider services)
    {
        await using var conn = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("select pg_sleep(1.5)", conn);
        var e = await Assert.ThrowsAsync<NpgsqlException>(() => cmd.ExecuteNonQueryAsync());
        Assert.IsType<TimeoutException>(e.InnerException);
    }

    [Fact]
    public async Task MemberImport_WhoseMergeOutlastsTheConnectionsDefaultTimeout_Succeeds()
    {
        var (services, database) = await ServiceWithOneSecondTimeout();
        await using var _ = services;
        var (orgs, members, _) = Csv.Demo(members: 300, seed: 12, provinceCode: "BT", provinceNumber: 91);
        Assert.True((await Import(services, ImportKind.Orgs, orgs)).Succeeded);
        await SlowInserts(database.Owner, "members");

        var outcome = await Import(services, ImportKind.Members, members);

        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors));
        Assert.Equal(300, outcome.Result!.Created);
        await AssertOrdinaryCommandTimesOut(services);
    }

    [Fact]
    public async Task DuesGeneration_WhoseInsertOutlastsTheConnectionsDefaultTimeout_Succeeds()
    {
        var (services, database) = await ServiceWithOneSecondTimeout();
        await using var _ = services;
        var (orgs, members, income) = Csv.Demo(members: 300, seed: 12, provinceCode: "BT", provinceNumber: 91);
        Assert.True((await Import(services, ImportKind.Orgs, orgs)).Succeeded);
        Assert.True((await Import(services, ImportKind.Members, members)).Succeeded);
        Assert.True((await Import(services, ImportKind.Income, income)).Succeeded);
        await SlowInserts(database.Owner, "dues_statements");

        await using var scope = services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<DuesGeneration>().Generate(Period.Of(2026, 8), Actor.System, CancellationToken.None);

        Assert.True(outcome.Succeeded);
        Assert.True(outcome.Value.Created > 0);
        Assert.Equal(0, outcome.Value.Existing);
        await AssertOrdinaryCommandTimesOut(services);
    }
}

using System.Diagnostics;
using System.Globalization;
using Fees.Persistence;
using Fees.Persistence.Database;
using Fees.Api.Hosting.Embedded;
using Npgsql;

namespace Fees.Api.Tests;

/// <summary>The embedded default's cluster: reused across starts, recovered after a crash, found on the machine.</summary>
public sealed class EmbeddedClusterTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "partytthc-cluster-test-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<string> _log = [];

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        string? outside = File.Exists(Path.Combine(_dataDir, "pg-location")) ? File.ReadLines(Path.Combine(_dataDir, "pg-location")).First() : null;
        Directory.Delete(_dataDir, recursive: true);
        if (outside is not null && Directory.Exists(outside))
        {
            Directory.Delete(outside, recursive: true);
        }
        return Task.CompletedTask;
    }

    private Task<PostgresCluster> Start() => PostgresCluster.StartAsync(_dataDir, _log.Add);

    private static async Task<object?> Scalar(PostgresCluster cluster, string sql)
    {
        await using var conn = new NpgsqlConnection(cluster.ConnectionString());
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    [Fact]
    public void ServerBinaries_AreFoundOnThisMachine() => Assert.NotNull(PostgresCluster.FindBinDirectory());

    [Fact]
    public async Task SecondStart_ReusesTheClusterAndItsData()
    {
        var first = await Start();
        await Scalar(first, "create table kept (v int); insert into kept values (42);");
        NpgsqlConnection.ClearAllPools();
        await first.StopAsync();

        var second = await Start();
        Assert.Equal(42, await Scalar(second, "select v from kept"));
        Assert.Equal(first.Port, second.Port);
        Assert.Single(_log, l => l.StartsWith("Initialising", StringComparison.Ordinal));
        NpgsqlConnection.ClearAllPools();
        await second.StopAsync();
    }

    [Fact]
    public async Task ClusterLeftRunning_IsReused()
    {
        var first = await Start();
        var second = await Start(); // as after a killed service whose cluster kept running
        Assert.Contains(_log, l => l.StartsWith("Reusing", StringComparison.Ordinal));
        Assert.Equal(1, await Scalar(second, "select 1"));
        NpgsqlConnection.ClearAllPools();
        await second.StopAsync();
        await first.StopAsync();
    }

    [Fact]
    public async Task KilledPostmaster_LeavingAStalePidFile_IsRecovered()
    {
        var first = await Start();
        await Scalar(first, "create table survived (v int); insert into survived values (7);");
        NpgsqlConnection.ClearAllPools();
        string pidFile = Path.Combine(first.ClusterDirectory, "postmaster.pid");
        int pid = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
        using (var postmaster = Process.GetProcessById(pid))
        {
            postmaster.Kill(); // SIGKILL: postmaster.pid stays behind
            await postmaster.WaitForExitAsync();
        }
        await Task.Delay(500); // let the orphaned backends notice and exit
        Assert.True(File.Exists(pidFile));

        var second = await Start();
        Assert.Equal(7, await Scalar(second, "select v from survived"));
        NpgsqlConnection.ClearAllPools();
        await second.StopAsync();
    }
}

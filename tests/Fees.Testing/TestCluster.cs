using Fees.Persistence;
using Fees.Persistence.Database;
using Fees.Api.Hosting.Embedded;
using Npgsql;

namespace Fees.Testing;

/// <summary>
/// One private PostgreSQL cluster per test run, started by the same code as the service's embedded default, in a
/// temp directory removed at the end. A migrated template database is cloned for each test class, so classes
/// run in parallel on isolated databases and never see each other's rows.
/// </summary>
public static class TestCluster
{
    private const string Template = "fees_template";
    private static readonly Lazy<Task<State>> Instance = new(Start);
    private static readonly SemaphoreSlim CreateLock = new(1, 1);

    private sealed record State(PostgresCluster Cluster, string Root, string AppPassword);

    private const string RootPrefix = "partytthc-tests-";

    private static async Task<State> Start()
    {
        SweepLeftovers();
        string root = Path.Combine(Path.GetTempPath(), RootPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var cluster = await PostgresCluster.StartAsync(root, _ => { });
        // Every server log line names its database (%d) and role (%u), so a test that logs plans of its own database
        // (PlanLog) reads back only its own lines; the level of what is logged does not change.
        await using (var conn = new NpgsqlConnection(cluster.ConnectionString()))
        {
            await conn.OpenAsync();
            foreach (string sql in new[] { "alter system set log_line_prefix = '%m [%p] db=%d user=%u '", "select pg_reload_conf()" })
            {
                await using var cmd = new NpgsqlCommand(sql, conn); // one at a time: ALTER SYSTEM refuses a transaction block
                await cmd.ExecuteNonQueryAsync();
            }
        }
        string appPassword = "test-" + Guid.NewGuid().ToString("N");
        await DatabaseRoles.EnsureDatabaseAndRole(cluster.ConnectionString(), Template, appPassword);
        await Migrator.Migrate(new DatabaseConnections(
            cluster.ConnectionString(Template),
            DatabaseRoles.AppConnectionString(cluster.ConnectionString(Template), appPassword)));
        NpgsqlConnection.ClearAllPools(); // a template must have no open connections to be copied
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                NpgsqlConnection.ClearAllPools();
                cluster.StopAsync(immediate: true).GetAwaiter().GetResult();
                Directory.Delete(root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                Console.Error.WriteLine($"Test cluster cleanup: {e.Message}");
            }
        };
        return new State(cluster, root, appPassword);
    }

    /// <summary>
    /// Removes the directories of earlier test runs whose cluster no longer runs (a test host killed before its
    /// exit handler finished leaves one behind). Running clusters, e.g. of a parallel run, are left alone.
    /// </summary>
    private static void SweepLeftovers()
    {
        foreach (string dir in Directory.EnumerateDirectories(Path.GetTempPath(), RootPrefix + "*"))
        {
            try
            {
                // File ages on this machine (not the service's time): a directory younger than 10 minutes may belong to a run still starting.
                if (!PostgresCluster.IsRunning(Path.Combine(dir, "pg")) && Directory.GetLastWriteTimeUtc(dir) < DateTime.UtcNow.AddMinutes(-10))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"Could not remove {dir}: {e.Message}");
            }
        }
    }

    /// <summary>A new database, migrated, for one test class: owner and service-role connection strings.</summary>
    public static async Task<DatabaseConnections> NewDatabase(string prefix)
    {
        var state = await Instance.Value;
        string name = (prefix + "_" + Guid.NewGuid().ToString("N")[..8]).ToLowerInvariant();
        await CreateLock.WaitAsync();
        try
        {
            await DatabaseRoles.EnsureDatabaseAndRole(state.Cluster.ConnectionString(), name, state.AppPassword, template: Template);
        }
        finally
        {
            CreateLock.Release();
        }
        string owner = Patient(state.Cluster.ConnectionString(name));
        return new DatabaseConnections(owner, Patient(DatabaseRoles.AppConnectionString(owner, state.AppPassword)));
    }

    /// <summary>
    /// A test's connections wait up to a minute to open (Npgsql's default is 15 s): several test assemblies start their
    /// clusters and dozens of services at once on two cores, and a service that could not open its first connection in
    /// 15 s failed to start (seen in CI: "Hosting failed to start … The operation has timed out").
    /// </summary>
    private static string Patient(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 60 }.ConnectionString;

    /// <summary>The test cluster's server log (its lines are prefixed <c>db=&lt;database&gt; user=&lt;role&gt;</c>).</summary>
    public static async Task<string> ServerLog() => Path.Combine((await Instance.Value).Cluster.ClusterDirectory, "server.log");

    public static async Task<string> TempDirectory()
    {
        var state = await Instance.Value;
        string dir = Path.Combine(state.Root, "data-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}

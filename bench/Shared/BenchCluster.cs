using System.Globalization;
using Fees.Api.Hosting.Embedded;
using Fees.Persistence.Database;
using Npgsql;

namespace Fees.Bench;

/// <summary>
/// A throwaway private PostgreSQL cluster for one benchmark run, started by the service's own code (as the tests'
/// <c>TestCluster</c> does) in a temp directory that is removed at the end; optionally with <c>pg_stat_statements</c>
/// loaded, for a profile of what the run sent.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private readonly string _root;
    private readonly bool _keep;
    private PostgresCluster _cluster;

    private BenchCluster(string root, PostgresCluster cluster, bool keep = false)
    {
        _root = root;
        _cluster = cluster;
        _keep = keep;
    }

    /// <summary>Where the cluster's files are (its <c>postmaster.pid</c> names the server process).</summary>
    public string ClusterDirectory => _cluster.ClusterDirectory;

    /// <summary>CPU time used so far by the server and every backend it started (user + system, from /proc).</summary>
    public TimeSpan ServerCpuTime()
    {
        string pidFile = Path.Combine(ClusterDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).First(), NumberStyles.None, CultureInfo.InvariantCulture, out int postmaster))
        {
            return TimeSpan.Zero;
        }
        long ticks = 0;
        foreach (string dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // Fields after the command name (which is in parentheses and may hold spaces): state ppid … utime stime.
                string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                int ppid = int.Parse(f[1], CultureInfo.InvariantCulture);
                if (pid == postmaster || ppid == postmaster)
                {
                    ticks += long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
                }
                if (pid == postmaster)
                {
                    ticks += long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture); // backends that ended
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // the process ended while being read
            }
        }
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    /// <summary>The server's log (with <c>statStatements</c>, auto_explain writes the plans of statements slower than 1 s there).</summary>
    public string ServerLog => Path.Combine(ClusterDirectory, "server.log");

    /// <summary>The superuser's connection string to a database of the cluster.</summary>
    public string Superuser(string database = "postgres") => _cluster.ConnectionString(database);

    /// <summary>A directory inside the run's temp directory (removed with it).</summary>
    public string Directory(string name)
    {
        string dir = Path.Combine(_root, name);
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    /// <param name="statStatements">Load <c>pg_stat_statements</c> (the cluster is restarted once to load it).</param>
    /// <param name="keepIn">
    /// A directory to keep the cluster in between runs (started again if it exists, stopped but not removed at the
    /// end); null for a throwaway cluster in a temp directory.
    /// </param>
    public static async Task<BenchCluster> StartAsync(bool statStatements = false, string? keepIn = null)
    {
        string root = keepIn is null
            ? Path.Combine(Path.GetTempPath(), "partytthc-bench-" + Guid.NewGuid().ToString("N")[..8])
            : Path.GetFullPath(keepIn);
        System.IO.Directory.CreateDirectory(root);
        var cluster = await PostgresCluster.StartAsync(root, _ => { });
        var bench = new BenchCluster(root, cluster, keep: keepIn is not null);
        if (statStatements)
        {
            await bench.Execute(bench.Superuser(), "alter system set shared_preload_libraries = pg_stat_statements, auto_explain");
            NpgsqlConnection.ClearAllPools();
            await cluster.StopAsync();
            bench._cluster = await PostgresCluster.StartAsync(root, _ => { });
            // Known only once the library is loaded.
            await bench.Execute(bench.Superuser(), "alter system set pg_stat_statements.track_utility = off");
            await bench.Execute(bench.Superuser(), "alter system set pg_stat_statements.track_planning = on");
            // Plans of the slow statements, nested ones (triggers, functions) included, to the server log (ServerLog).
            await bench.Execute(bench.Superuser(), "alter system set auto_explain.log_min_duration = '1s'");
            await bench.Execute(bench.Superuser(), "alter system set auto_explain.log_analyze = on");
            await bench.Execute(bench.Superuser(), "alter system set auto_explain.log_nested_statements = on");
            await bench.Execute(bench.Superuser(), "select pg_reload_conf()");
        }
        return bench;
    }

    /// <summary>A new database, migrated, with the service's restricted role: owner and service connection strings.</summary>
    public async Task<DatabaseConnections> NewDatabase(string name, bool statStatements = false)
    {
        string appPassword = "bench-" + Guid.NewGuid().ToString("N");
        await DatabaseRoles.EnsureDatabaseAndRole(Superuser(), name, appPassword);
        string owner = Superuser(name);
        var connections = new DatabaseConnections(owner, DatabaseRoles.AppConnectionString(owner, appPassword));
        await Migrator.Migrate(connections);
        if (statStatements)
        {
            await Execute(owner, "create extension if not exists pg_stat_statements");
        }
        return connections;
    }

    public async Task Execute(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<T> Scalar<T>(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>One line about the machine and the server: cores, memory, PostgreSQL version, load.</summary>
    public async Task<string> Describe()
    {
        string version = await Scalar<string>(Superuser(), "show server_version");
        string memory = "?";
        foreach (string line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal)
                && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb))
            {
                memory = (kb / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture) + " GiB";
            }
        }
        string load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {memory}, PostgreSQL {version}, load average {load}");
    }

    /// <summary>The heaviest statements of the run by total time (needs <c>statStatements</c>).</summary>
    public static async Task<IReadOnlyList<string>> TopStatements(string ownerConnectionString, int top)
    {
        await using var conn = new NpgsqlConnection(ownerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select calls, total_exec_time, total_plan_time, mean_exec_time, rows, plans,
                   regexp_replace(left(query, 100), '\s+', ' ', 'g')
            from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
            order by total_exec_time + total_plan_time desc limit @top
            """, conn);
        cmd.Parameters.AddWithValue("top", top);
        var lines = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{r.GetInt64(0),9} calls {r.GetDouble(1),9:F0} ms exec {r.GetDouble(2),7:F0} ms plan {r.GetDouble(3),7:F3} ms/call {r.GetInt64(4),9} rows {r.GetInt64(5),9} plans  {r.GetString(6)}"));
        }
        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_keep)
        {
            await _cluster.StopAsync(immediate: false);
            return;
        }
        await _cluster.StopAsync(immediate: true);
        try
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"Could not remove {_root}: {e.Message}");
        }
    }
}

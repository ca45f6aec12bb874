using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Fees.Api.Hosting.Embedded;

/// <summary>
/// A private PostgreSQL cluster started from the machine's own binaries: the service's embedded default and
/// every test run use this same code. Bound to 127.0.0.1 only, password-protected (SCRAM), no Unix socket.
/// </summary>
/// <remarks>
/// initdb and postgres refuse to run as root, so as root every server command runs as the <c>postgres</c> OS
/// user through <c>runuser</c>, and the cluster lives where that user can reach it (see <see cref="ResolveClusterDirectory"/>).
/// A cluster left running by a killed process is reused; a stale <c>postmaster.pid</c> is handled by postgres itself.
/// </remarks>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private readonly string _binDirectory;
    private readonly bool _runAsPostgresUser;
    private readonly Action<string> _log;
    private bool _stopped;

    private PostgresCluster(string binDirectory, string clusterDirectory, int port, string password, bool runAsPostgresUser, Action<string> log)
    {
        _binDirectory = binDirectory;
        ClusterDirectory = clusterDirectory;
        Port = port;
        Password = password;
        _runAsPostgresUser = runAsPostgresUser;
        _log = log;
    }

    public string ClusterDirectory { get; }
    public int Port { get; }

    /// <summary>True when this start started the server; false when it was already running (the service, or a killed one's).</summary>
    public bool StartedHere { get; private set; }
    private string Password { get; }

    /// <summary>Connection string for the superuser to a database of the cluster.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = Password,
        Database = database,
        Pooling = true,
        MaxPoolSize = 100,
    }.ConnectionString;

    /// <summary>
    /// Starts (initialising on first use) the cluster kept under <paramref name="dataDirectory"/>.
    /// Throws <see cref="PostgresNotInstalledException"/> with a one-line install hint when no binaries exist.
    /// </summary>
    public static async Task<PostgresCluster> StartAsync(string dataDirectory, Action<string> log, CancellationToken cancellationToken = default)
    {
        string bin = FindBinDirectory() ?? throw new PostgresNotInstalledException();
        bool asPostgres = Environment.IsPrivilegedProcess;
        dataDirectory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        string clusterDir = await ResolveClusterDirectory(dataDirectory, asPostgres, log, cancellationToken);
        string passwordFile = Path.Combine(dataDirectory, "pg-password");

        if (!File.Exists(Path.Combine(clusterDir, "PG_VERSION")))
        {
            await Initialise(bin, clusterDir, passwordFile, asPostgres, log, cancellationToken);
        }

        string password = (await File.ReadAllTextAsync(passwordFile, cancellationToken)).Trim();
        int port = ReadPort(clusterDir);
        var cluster = new PostgresCluster(bin, clusterDir, port, password, asPostgres, log);
        await cluster.EnsureRunning(cancellationToken);
        return cluster;
    }

    /// <summary>Finds the PostgreSQL server binaries: <c>FEES_PG_BIN</c>, then Debian's versioned directories (15 preferred), then PATH.</summary>
    public static string? FindBinDirectory()
    {
        static bool HasServer(string dir) => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

        string? configured = Environment.GetEnvironmentVariable("FEES_PG_BIN");
        if (!string.IsNullOrEmpty(configured) && HasServer(configured))
        {
            return configured;
        }
        foreach (string root in new[] { "/usr/lib/postgresql", "/usr/local/pgsql" })
        {
            if (!Directory.Exists(root))
            {
                continue;
            }
            var versions = Directory.GetDirectories(root)
                .Select(d => (dir: Path.Combine(d, "bin"), version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : 0))
                .Where(x => HasServer(x.dir))
                .OrderByDescending(x => x.version == 15)
                .ThenByDescending(x => x.version)
                .ToList();
            if (versions.Count > 0)
            {
                return versions[0].dir;
            }
            if (HasServer(Path.Combine(root, "bin")))
            {
                return Path.Combine(root, "bin");
            }
        }
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (HasServer(dir))
            {
                // Follow a symlinked initdb back to its real directory (postgres needs its siblings).
                var target = new FileInfo(Path.Combine(dir, "initdb")).ResolveLinkTarget(returnFinalTarget: true);
                return target is null ? dir : Path.GetDirectoryName(target.FullName) ?? dir;
            }
        }
        return null;
    }

    /// <summary>
    /// The cluster's own directory: <c>{dataDirectory}/pg</c> when the server's OS user can reach it. As root the
    /// server runs as <c>postgres</c>, which cannot traverse e.g. <c>/root</c> or a <c>mktemp -d</c> directory; then the
    /// cluster lives under the system temp directory, in a folder keyed by the data directory's path, and
    /// <c>{dataDirectory}/pg-location</c> says where.
    /// </summary>
    private static async Task<string> ResolveClusterDirectory(string dataDirectory, bool asPostgres, Action<string> log, CancellationToken ct)
    {
        string inside = Path.Combine(dataDirectory, "pg");
        if (!asPostgres)
        {
            return inside;
        }
        var probe = await RunRaw("runuser", ["-u", SuperUser, "--", "test", "-x", dataDirectory], ct);
        if (probe.ExitCode == 0)
        {
            Directory.CreateDirectory(inside);
            await Chown(inside, ct);
            return inside;
        }
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..16].ToLowerInvariant();
        string root = Path.Combine(Path.GetTempPath(), "partytthc-pg");
        Directory.CreateDirectory(root);
        FileModes.Set(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        string outside = Path.Combine(root, key);
        Directory.CreateDirectory(outside);
        await Chown(outside, ct);
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "pg-location"),
            outside + Environment.NewLine + "# The postgres OS user cannot reach " + dataDirectory + ", so the cluster lives here." + Environment.NewLine, ct);
        log($"PostgreSQL runs as the postgres user, which cannot reach {dataDirectory}; its cluster is at {outside}");
        return outside;
    }

    private static async Task Initialise(string bin, string clusterDir, string passwordFile, bool asPostgres, Action<string> log, CancellationToken ct)
    {
        log($"Initialising a private PostgreSQL cluster in {clusterDir}");
        Directory.CreateDirectory(clusterDir);
        string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        await File.WriteAllTextAsync(passwordFile, password + "\n", ct);
        FileModes.Set(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // initdb reads the password from a file the server's user can read; it is removed right after.
        string initPwFile = Path.Combine(Path.GetTempPath(), "partytthc-initpw-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(initPwFile, password + "\n", ct);
        try
        {
            if (asPostgres)
            {
                await Chown(clusterDir, ct);
                await Chown(initPwFile, ct);
            }
            FileModes.Set(clusterDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await RunServerTool(bin, "initdb", asPostgres, ["-D", clusterDir, "-U", SuperUser, "--auth=scram-sha-256", "--pwfile=" + initPwFile, "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"], ct);
        }
        finally
        {
            File.Delete(initPwFile);
        }

        int port = FreeLoopbackPort();
        string settings = string.Join('\n',
            "# PartyTTHC Fees private cluster: loopback only, no Unix socket.",
            "listen_addresses = '127.0.0.1'",
            $"port = {port.ToString(CultureInfo.InvariantCulture)}",
            "unix_socket_directories = ''",
            "max_connections = 200",
            "shared_buffers = 256MB",
            "max_wal_size = 2GB",
            "timezone = 'UTC'",
            "log_min_messages = warning",
            "");
        string conf = Path.Combine(clusterDir, "postgresql.conf");
        if (asPostgres)
        {
            // The file belongs to postgres; root can still append to it.
            await File.AppendAllTextAsync(conf, settings, ct);
        }
        else
        {
            await File.AppendAllTextAsync(conf, settings, ct);
        }
        await File.WriteAllTextAsync(Path.Combine(clusterDir, "pg_hba.conf"),
            "# loopback only, passwords only\nhost all all 127.0.0.1/32 scram-sha-256\n", ct);
    }

    private async Task EnsureRunning(CancellationToken ct)
    {
        var status = await RunServerToolRaw(_binDirectory, "pg_ctl", _runAsPostgresUser, ["status", "-D", ClusterDirectory], ct);
        if (status.ExitCode == 0)
        {
            _log($"Reusing the PostgreSQL cluster already running on 127.0.0.1:{Port}");
            return;
        }
        string logFile = Path.Combine(ClusterDirectory, "server.log");
        _log($"Starting PostgreSQL on 127.0.0.1:{Port}");
        var start = await RunServerToolRaw(_binDirectory, "pg_ctl", _runAsPostgresUser, ["start", "-D", ClusterDirectory, "-l", logFile, "-w", "-t", "60"], ct);
        if (start.ExitCode != 0)
        {
            string tail = File.Exists(logFile) ? string.Join('\n', File.ReadLines(logFile).TakeLast(15)) : "";
            throw new InvalidOperationException($"PostgreSQL did not start (pg_ctl exit {start.ExitCode}): {start.Output}\n{tail}");
        }
        StartedHere = true;
    }

    /// <summary>Stops the cluster (fast shutdown: sessions are ended, data is flushed).</summary>
    public Task StopAsync() => StopAsync(immediate: false);

    /// <summary>
    /// Stops the cluster; <paramref name="immediate"/> skips the shutdown checkpoint, for throwaway clusters
    /// (tests, benchmarks) whose data is deleted right after.
    /// </summary>
    public async Task StopAsync(bool immediate)
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        _log("Stopping PostgreSQL");
        await RunServerToolRaw(_binDirectory, "pg_ctl", _runAsPostgresUser,
            ["stop", "-D", ClusterDirectory, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60"], CancellationToken.None);
    }

    /// <summary>True when a postmaster is running for <paramref name="clusterDirectory"/> (its pid file names a live process).</summary>
    public static bool IsRunning(string clusterDirectory)
    {
        string pidFile = Path.Combine(clusterDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return false;
        }
        try
        {
            string? first = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return true; // can't tell: leave it alone
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static int ReadPort(string clusterDir)
    {
        int port = 5432;
        foreach (string line in File.ReadLines(Path.Combine(clusterDir, "postgresql.conf")))
        {
            string t = line.Trim();
            if (t.StartsWith("port", StringComparison.Ordinal) && t.Contains('=', StringComparison.Ordinal))
            {
                string value = t[(t.IndexOf('=', StringComparison.Ordinal) + 1)..].Split('#')[0].Trim();
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int p))
                {
                    port = p;
                }
            }
        }
        return port;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task Chown(string path, CancellationToken ct) => RunChecked("chown", [SuperUser + ":", path], ct);

    private static async Task RunServerTool(string bin, string tool, bool asPostgres, string[] args, CancellationToken ct)
    {
        var result = await RunServerToolRaw(bin, tool, asPostgres, args, ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed (exit {result.ExitCode}): {result.Output}");
        }
    }

    private static Task<(int ExitCode, string Output)> RunServerToolRaw(string bin, string tool, bool asPostgres, string[] args, CancellationToken ct)
    {
        string exe = Path.Combine(bin, tool);
        return asPostgres ? RunRaw("runuser", ["-u", SuperUser, "--", exe, .. args], ct) : RunRaw(exe, args, ct);
    }

    private static async Task RunChecked(string file, string[] args, CancellationToken ct)
    {
        var result = await RunRaw(file, args, ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed (exit {result.ExitCode}): {result.Output}");
        }
    }

    private static async Task<(int ExitCode, string Output)> RunRaw(string file, string[] args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}");
        // pg_ctl start leaves the server holding no pipe of ours (-l redirects it), so reading to the end returns.
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }
}

/// <summary>No PostgreSQL server binaries on this machine.</summary>
public sealed class PostgresNotInstalledException()
    : Exception("PostgreSQL server binaries not found: install them with 'apt-get install -y postgresql-15' (or set ConnectionStrings__Fees to an existing database, or FEES_PG_BIN to the bin directory).");

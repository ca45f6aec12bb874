using System.Diagnostics;
using System.Globalization;
using Fees.Persistence.Database;
using Npgsql;

namespace Fees.Api.Hosting.Embedded;

/// <summary>What a restore came to: done (the previous database kept under <see cref="KeptAs"/>), or refused because of <see cref="Sessions"/>.</summary>
public sealed record RestoreOutcome(bool Restored, string? KeptAs, IReadOnlyList<string> Sessions);

/// <summary>A backup written: where, how big, and how many archive entries <c>pg_restore --list</c> read back from it.</summary>
public sealed record BackupSummary(string File, long Bytes, int Entries);

/// <summary>pg_dump or pg_restore refused; the message carries the tool's own words.</summary>
public sealed class BackupFailedException(string message) : Exception(message);

/// <summary>
/// Backup and restore of the embedded default, with the machine's own PostgreSQL client tools:
/// <c>dotnet run --project src/Fees.Api -- backup &lt;file&gt;</c> and <c>-- restore &lt;file&gt;</c>.
/// </summary>
/// <remarks>
/// <para>
/// A backup is <c>pg_dump --format=custom</c> of the <c>fees</c> database (Hangfire's schema included): one transaction
/// snapshot, so it is consistent while the service keeps writing, and nobody waits for it. It is written beside the target
/// as <c>.partial</c>, read back with <c>pg_restore --list</c>, made readable by its owner only (it holds personal data),
/// and only then takes the target's name. Chosen over <c>pg_basebackup</c>: the embedded cluster accepts no replication
/// connections (its pg_hba.conf has none), a base backup copies the whole cluster (passwords and all) and can only be put
/// back as a whole cluster, while a logical dump of the one database restores beside the live one, into another
/// cluster, or into a configured server of a later PostgreSQL version.
/// </para>
/// <para>
/// A restore never writes into the live database and never destroys one: it checks the archive, refuses while anyone
/// (the service) is connected to <c>fees</c>, restores into a fresh database in one transaction (<c>--single-transaction
/// --exit-on-error</c>: all or nothing), and then renames the live database to <c>fees_before_restore_&lt;UTC time&gt;</c>
/// and the restored one to <c>fees</c> in one transaction, which PostgreSQL itself refuses while anyone is connected. The
/// restored objects belong to the cluster's superuser and carry no grants (<c>--no-owner --no-acl</c>): the service
/// grants its role <c>fees_app</c> what it needs at every start.
/// </para>
/// </remarks>
public static class Backups
{
    public const string BackupVerb = "backup";
    public const string RestoreVerb = "restore";

    /// <summary>The <c>application_name</c> of the tools' own sessions.</summary>
    public const string ApplicationName = "partytthc-backup";

    public const int UsageExitCode = 64;

    private const string Usage = """
        Usage:
          dotnet run --project src/Fees.Api -- backup <file>    back up the embedded database (safe while the service runs)
          dotnet run --project src/Fees.Api -- restore <file>   restore it (stop the service first)
        The data directory is found as the service finds it: FEES_DATA_DIR (or --FEES_DATA_DIR=<dir>), else .data/ in the repository root.
        """;

    private const string ConfiguredDatabaseHelp = """
        ConnectionStrings__Fees names a database of your own: back it up and restore it with PostgreSQL's tools
        (see README.md, "Backup and restore"):
          pg_dump --format=custom --file=fees.dump "host=… port=… dbname=… user=<owner>"
          createdb fees_restored && pg_restore --no-owner --no-acl --single-transaction --exit-on-error --dbname=fees_restored fees.dump
        """;

    public static bool IsCommand(string[] args) => args is [BackupVerb or RestoreVerb, ..];

    /// <summary>Runs <c>backup &lt;file&gt;</c> or <c>restore &lt;file&gt;</c>; further arguments configure as for the service.</summary>
    /// <returns>0 done, 1 failed or refused (nothing changed), 64 wrong usage.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (args is not [var verb, var file, .. var rest] || !IsCommand(args) || file.StartsWith('-'))
        {
            await output.WriteLineAsync(Usage);
            return UsageExitCode;
        }
        // The service's own configuration sources (appsettings, environment, command line), so the data directory is the service's.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = rest });
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Fees")))
        {
            await output.WriteLineAsync(ConfiguredDatabaseHelp);
            return UsageExitCode;
        }
        string dataDir = LocalSetup.DataDirectory(builder.Configuration, builder.Environment.ContentRootPath);
        file = Path.GetFullPath(file);
        if (verb == BackupVerb && !File.Exists(Path.Combine(dataDir, "pg-password")))
        {
            await output.WriteLineAsync($"No embedded database under {dataDir}: nothing to back up.");
            return 1;
        }
        if (verb == RestoreVerb && !File.Exists(file))
        {
            await output.WriteLineAsync($"No backup file {file}.");
            return 1;
        }

        var (_, cluster) = await EmbeddedDatabase.StartAsync(dataDir, m => output.WriteLine(m), ct);
        try
        {
            var time = Stopwatch.StartNew();
            if (verb == BackupVerb)
            {
                var backup = await Dump(cluster.ConnectionString(EmbeddedDatabase.DatabaseName), file, ct);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Backed up database {EmbeddedDatabase.DatabaseName} to {backup.File}: {backup.Bytes:N0} bytes, {backup.Entries} archive entries, {time.Elapsed.TotalSeconds:F1} s."));
                return 0;
            }
            var outcome = await Restore(cluster.ConnectionString(), EmbeddedDatabase.DatabaseName, file, TimeProvider.System.GetUtcNow(), ct);
            if (!outcome.Restored)
            {
                string sessions = string.Join("; ", outcome.Sessions.Take(5)) + (outcome.Sessions.Count > 5 ? $"; and {outcome.Sessions.Count - 5} more" : "");
                await output.WriteLineAsync($"Refused: database {EmbeddedDatabase.DatabaseName} is in use, the service is running ({sessions}). "
                    + "Stop the service (Ctrl+C), then restore again. Nothing was changed.");
                return 1;
            }
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Restored {file} into database {EmbeddedDatabase.DatabaseName} in {time.Elapsed.TotalSeconds:F1} s. The previous database is kept as {outcome.KeptAs}; "
                + $"once the restored data is confirmed, drop it (with the service running): "
                + $"PGPASSWORD=$(cat {Path.Combine(dataDir, "pg-password")}) psql -h 127.0.0.1 -p {cluster.Port} -U postgres -d postgres -c 'drop database {outcome.KeptAs}'"));
            return 0;
        }
        catch (BackupFailedException e)
        {
            await output.WriteLineAsync(e.Message);
            return 1;
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (cluster.StartedHere)
            {
                // Started for this command (the service was not running): leave the machine as it was.
                await cluster.StopAsync();
            }
        }
    }

    /// <summary>
    /// <c>pg_dump --format=custom</c> of the database <paramref name="connectionString"/> names, into <paramref name="file"/>
    /// (replaced only once the new backup is complete and readable).
    /// </summary>
    public static async Task<BackupSummary> Dump(string connectionString, string file, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        file = Path.GetFullPath(file);
        string partial = file + ".partial";
        File.Delete(partial);
        var dump = await Tool("pg_dump", ["--format=custom", "--file=" + partial, "--no-password"], connectionString, ct);
        if (dump.ExitCode != 0)
        {
            File.Delete(partial);
            throw new BackupFailedException($"pg_dump failed (exit {dump.ExitCode}): {Tail(dump.Output)}");
        }
        FileModes.Set(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        int entries = await Verify(partial, ct);
        File.Move(partial, file, overwrite: true);
        return new BackupSummary(file, new FileInfo(file).Length, entries);
    }

    /// <summary>
    /// Restores <paramref name="file"/> into a new database <paramref name="database"/> (which must not exist) on the
    /// cluster of <paramref name="superuserConnectionString"/>, all or nothing: on failure the new database is dropped.
    /// </summary>
    public static async Task RestoreInto(string superuserConnectionString, string database, string file, CancellationToken ct = default)
    {
        await DatabaseSwap.CreateEmpty(superuserConnectionString, database, ct);
        var target = new NpgsqlConnectionStringBuilder(superuserConnectionString) { Database = database }.ConnectionString;
        var restore = await Tool("pg_restore",
            ["--dbname=" + database, "--no-owner", "--no-acl", "--single-transaction", "--exit-on-error", "--no-password", Path.GetFullPath(file)], target, ct);
        if (restore.ExitCode != 0)
        {
            await DatabaseSwap.DropIfExists(superuserConnectionString, database, CancellationToken.None);
            throw new BackupFailedException($"pg_restore failed (exit {restore.ExitCode}); nothing was changed: {Tail(restore.Output)}");
        }
    }

    /// <summary>
    /// Restores <paramref name="file"/> in place of <paramref name="database"/>: into a fresh database first, then swapped
    /// in, keeping the previous one. Refused, with nothing changed, while anyone is connected to <paramref name="database"/>.
    /// </summary>
    /// <param name="superuserConnectionString">The cluster's superuser, connected to another database (<c>postgres</c>).</param>
    /// <param name="now">Names the kept database (<c>{database}_before_restore_yyyyMMddHHmmss</c>, UTC).</param>
    public static async Task<RestoreOutcome> Restore(string superuserConnectionString, string database, string file, DateTimeOffset now, CancellationToken ct = default)
    {
        await Verify(file, ct);
        var sessions = await DatabaseSwap.Sessions(superuserConnectionString, database, ct);
        if (sessions.Count > 0)
        {
            return new RestoreOutcome(false, null, sessions);
        }
        string stamp = now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        string restoring = $"{database}_restoring_{stamp}";
        string kept = $"{database}_before_restore_{stamp}";
        await RestoreInto(superuserConnectionString, restoring, file, ct);
        if (!await DatabaseSwap.Exists(superuserConnectionString, database, ct))
        {
            await DatabaseSwap.CreateEmpty(superuserConnectionString, database, ct);
        }
        if (!await DatabaseSwap.Swap(superuserConnectionString, database, restoring, kept, ct))
        {
            // Someone connected while the restore ran.
            await DatabaseSwap.DropIfExists(superuserConnectionString, restoring, CancellationToken.None);
            return new RestoreOutcome(false, null, await DatabaseSwap.Sessions(superuserConnectionString, database, ct));
        }
        return new RestoreOutcome(true, kept, []);
    }

    /// <summary>Reads the archive's table of contents back (<c>pg_restore --list</c>); the number of entries.</summary>
    private static async Task<int> Verify(string file, CancellationToken ct)
    {
        var list = await Tool("pg_restore", ["--list", Path.GetFullPath(file)], null, ct);
        if (list.ExitCode != 0)
        {
            throw new BackupFailedException($"{file} is not a readable backup (pg_restore --list exit {list.ExitCode}): {Tail(list.Output)}");
        }
        return list.Output.Split('\n').Count(l => l.Length > 0 && !l.StartsWith(';'));
    }

    /// <summary>A PostgreSQL client tool from the server's own directory (same version as the cluster), else from PATH.</summary>
    private static string ToolPath(string tool) =>
        PostgresCluster.FindBinDirectory() is { } bin && File.Exists(Path.Combine(bin, tool)) ? Path.Combine(bin, tool) : tool;

    private static async Task<(int ExitCode, string Output)> Tool(string tool, string[] args, string? connectionString, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(ToolPath(tool))
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
        if (connectionString is not null)
        {
            // Through the environment, not the command line: other users can read a process's arguments.
            var cs = new NpgsqlConnectionStringBuilder(connectionString);
            psi.Environment["PGHOST"] = cs.Host;
            psi.Environment["PGPORT"] = cs.Port.ToString(CultureInfo.InvariantCulture);
            psi.Environment["PGUSER"] = cs.Username;
            psi.Environment["PGPASSWORD"] = cs.Password;
            psi.Environment["PGDATABASE"] = cs.Database;
            psi.Environment["PGAPPNAME"] = ApplicationName;
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(20));
}

using System.Net.Http.Json;
using System.Text.Json;
using Fees.Api.Hosting.Embedded;
using Fees.Domain.Ledger;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Database;
using Fees.Persistence.Ledger;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests;

/// <summary>
/// A backup taken while the service runs restores to the same books: every trial balance, every audit check result, every
/// audit record and access-trace row. A restore goes into a fresh database and is swapped in, never while in use.
/// </summary>
public sealed class BackupRestoreTests(FeesApp app) : IClassFixture<FeesApp>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("partytthc-backup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Superuser => new NpgsqlConnectionStringBuilder(app.Database.Owner) { Database = "postgres" }.ConnectionString;

    private string Connection(string database) => new NpgsqlConnectionStringBuilder(app.Database.Owner) { Database = database }.ConnectionString;

    private static string NewName(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task RestoredBackup_HasTheSameTrialBalancesChecksAuditRecordsAndTrace()
    {
        // Books with something in them: a period's statements, receipts in two cells and a reversal, audit records, trace rows.
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        var cell = await app.Org(app.Demo.CellCode);
        var sibling = await app.Org(app.Demo.SiblingCellCode);
        var store = app.Store();
        await store.Post(LedgerTestData.Receipt(cell.Id, "FT-backup-1", 60_000, 54_756));
        var wrong = await store.Post(LedgerTestData.Receipt(cell.Id, "FT-backup-2", 30_000));
        await store.Reverse(wrong.Entry!.Source, new EntrySource(SourceKind.Reversal, "rev-backup-2"), LedgerTestData.August15, "nhầm chi bộ");
        await store.Post(LedgerTestData.Receipt(sibling.Id, "FT-backup-3", 45_000, 20_000));
        (await admin.PostAsJsonAsync("/api/users", new { username = "backup.treasurer", password = "backup-pass-1", role = "treasurer", orgCode = app.Demo.SiblingCellCode }))
            .EnsureSuccessStatusCode();
        (await (await app.ClientFor("thuquy", "thuquy-demo")).GetAsync($"/api/members/{app.Demo.CellMemberNo}/statements")).EnsureSuccessStatusCode();
        await app.Services.GetRequiredService<IAccessTrace>().FlushAsync();

        // Backed up while the service runs; restored beside it on the same cluster.
        var backup = await Backups.Dump(app.Database.Owner, Path.Combine(_dir, "fees.dump"));
        Assert.True(backup.Entries > 50, backup.ToString());
        Assert.False(File.Exists(backup.File + ".partial"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup.File)); // personal data
        }
        string restored = NewName("restored");
        await Backups.RestoreInto(Superuser, restored, backup.File);

        await using var original = NpgsqlDataSource.Create(app.Database.Owner);
        await using var copy = NpgsqlDataSource.Create(Connection(restored));
        var orgIds = await Column<long>(original, "select id from orgs order by id");
        Assert.Equal(orgIds, await Column<long>(copy, "select id from orgs order by id"));
        var asOf = new DateOnly(2026, 12, 31);
        var before = new LedgerStore(original);
        var after = new LedgerStore(copy);
        foreach (long id in orgIds)
        {
            Assert.Equal(Lines(await before.TrialBalance(id, asOf)), Lines(await after.TrialBalance(id, asOf)));
        }
        Assert.NotEqual(0, (await before.TrialBalance(cell.Id, asOf)).TotalDebit.Dong);

        var checks = app.Services.GetServices<IAuditCheck>().ToList();
        var checksBefore = await new AuditCheckRunner(original, checks).RunAll("");
        Assert.All(checksBefore, c => Assert.True(c.Passed, c.ToString()));
        Assert.Equal(Json(checksBefore), Json(await new AuditCheckRunner(copy, checks).RunAll("")));

        foreach (string table in new[] { "audit_log", "access_trace", "dues_statements", "ledger_entries", "ledger_postings", "ledger_balances", "users" })
        {
            string rows = $"select row_to_json(t)::text from {table} t order by 1";
            var expected = await Column<string>(original, rows);
            Assert.NotEmpty(expected);
            Assert.Equal(expected, await Column<string>(copy, rows));
        }
        Assert.Contains(await Column<string>(copy, "select action from access_trace"), a => a == AccessActions.StatementsRead);

        // Still append-only after the restore.
        await using var tamper = copy.CreateCommand("delete from access_trace");
        Assert.Contains("append-only", (await Assert.ThrowsAsync<PostgresException>(() => tamper.ExecuteNonQueryAsync())).MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_IsRefused_WhileTheServiceIsConnected_AndChangesNothing()
    {
        var backup = await Backups.Dump(app.Database.Owner, Path.Combine(_dir, "live.dump"));
        string live = new NpgsqlConnectionStringBuilder(app.Database.Owner).Database!;
        await using var service = new NpgsqlConnection(app.Database.App);
        await service.OpenAsync(); // the service's own role, holding a connection as the running service does

        var outcome = await Backups.Restore(Superuser, live, backup.File, FeesApp.Today);

        Assert.False(outcome.Restored);
        Assert.NotEmpty(outcome.Sessions);
        Assert.True(await DatabaseSwap.Exists(Superuser, live));
        await using var postgres = NpgsqlDataSource.Create(Superuser);
        Assert.Empty(await Column<string>(postgres, $"select datname::text from pg_database where datname like '{live}\\_%'"));
    }

    [Fact]
    public async Task Restore_SwapsTheRestoredDatabaseIn_AndKeepsThePreviousOne()
    {
        var backup = await Backups.Dump(app.Database.Owner, Path.Combine(_dir, "swap.dump"));
        string target = NewName("swaptarget");
        await DatabaseSwap.CreateEmpty(Superuser, target);
        await using (var conn = new NpgsqlConnection(Connection(target)) { })
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("create table previous_marker (v int)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        NpgsqlConnection.ClearAllPools();

        var outcome = await Backups.Restore(Superuser, target, backup.File, FeesApp.Today);

        Assert.True(outcome.Restored, string.Join("; ", outcome.Sessions));
        Assert.Equal(target + "_before_restore_20261202030000", outcome.KeptAs);
        await using var restored = NpgsqlDataSource.Create(Connection(target));
        Assert.Equal(await Column<long>(NpgsqlDataSource.Create(app.Database.Owner), "select count(*) from orgs"),
            await Column<long>(restored, "select count(*) from orgs"));
        await using var kept = NpgsqlDataSource.Create(Connection(outcome.KeptAs!));
        Assert.Equal([1L], await Column<long>(kept, "select count(*) from pg_tables where tablename = 'previous_marker'"));
    }

    [Fact]
    public async Task Restore_OfAFileThatIsNoBackup_IsRefused_BeforeAnythingChanges()
    {
        string bogus = Path.Combine(_dir, "not-a-backup.dump");
        await File.WriteAllTextAsync(bogus, "đây không phải bản sao lưu");
        string target = NewName("untouched");
        await DatabaseSwap.CreateEmpty(Superuser, target);
        await Assert.ThrowsAsync<BackupFailedException>(() => Backups.Restore(Superuser, target, bogus, FeesApp.Today));
        await using var postgres = NpgsqlDataSource.Create(Superuser);
        Assert.Equal([target], await Column<string>(postgres, $"select datname::text from pg_database where datname like '{target}%'"));
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    private static List<string> Lines(TrialBalance tb) =>
        [.. tb.Accounts.Select(a => $"{a.Code} {a.Name} {a.Debit.Dong} {a.Credit.Dong} {a.Balance.Dong}"), $"{tb.TotalDebit.Dong} {tb.TotalCredit.Dong}"];

    private static async Task<List<T>> Column<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        await using var reader = await cmd.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }
        return values;
    }
}

/// <summary>
/// The commands themselves on an embedded data directory: <c>backup</c> and <c>restore</c> start the cluster when the
/// service is not running and stop it again, reuse it when it runs, and a restore is refused while the service is connected.
/// </summary>
public sealed class BackupCommandTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "partytthc-backup-command-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly StringWriter _output = new();

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        string? outside = File.Exists(Path.Combine(_dataDir, "pg-location")) ? File.ReadLines(Path.Combine(_dataDir, "pg-location")).First() : null;
        if (PostgresCluster.IsRunning(outside ?? Path.Combine(_dataDir, "pg")))
        {
            var (_, cluster) = await EmbeddedDatabase.StartAsync(_dataDir, _ => { });
            await cluster.StopAsync(immediate: true);
        }
        Directory.Delete(_dataDir, recursive: true);
        if (outside is not null && Directory.Exists(outside))
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    private Task<int> Run(string verb, string file) => Backups.RunAsync([verb, file, "--FEES_DATA_DIR=" + _dataDir], _output);

    private static async Task<object?> Scalar(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    [Fact]
    public async Task BackupAndRestoreCommands_RoundTripTheEmbeddedDatabase()
    {
        string file = Path.Combine(_dataDir, "fees.dump");
        Assert.Equal(1, await Run("backup", file)); // no service has ever run here
        Assert.Contains("nothing to back up", _output.ToString(), StringComparison.Ordinal);

        // A data directory the service has used and stopped.
        var (db, cluster) = await EmbeddedDatabase.StartAsync(_dataDir, _ => { });
        await Scalar(db.Owner, "create table kept (v int); insert into kept values (1);");
        NpgsqlConnection.ClearAllPools();
        await cluster.StopAsync();

        Assert.Equal(0, await Run("backup", file));
        Assert.True(File.Exists(file), _output.ToString());
        Assert.False(PostgresCluster.IsRunning(cluster.ClusterDirectory), "the command stops the cluster it started");

        // The service runs again and the data changes.
        (db, cluster) = await EmbeddedDatabase.StartAsync(_dataDir, _ => { });
        await Scalar(db.Owner, "update kept set v = 2");
        await using (var service = new NpgsqlConnection(db.App))
        {
            await service.OpenAsync();
            Assert.Equal(1, await Run("restore", file));
            Assert.Contains("Refused", _output.ToString(), StringComparison.Ordinal);
        }
        NpgsqlConnection.ClearAllPools();
        Assert.Equal(2, await Scalar(db.Owner, "select v from kept"));
        NpgsqlConnection.ClearAllPools();

        // The service stopped: restored, and the cluster left as it was (running: this test started it).
        Assert.Equal(0, await Run("restore", file));
        Assert.Contains("Restored", _output.ToString(), StringComparison.Ordinal);
        Assert.True(PostgresCluster.IsRunning(cluster.ClusterDirectory));
        Assert.Equal(1, await Scalar(db.Owner, "select v from kept"));
        Assert.Equal(1L, await Scalar(cluster.ConnectionString(), "select count(*) from pg_database where datname like 'fees_before_restore_%'"));
        NpgsqlConnection.ClearAllPools();
        await cluster.StopAsync();
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("backup", "--FEES_DATA_DIR=/tmp")]
    [InlineData("restore")]
    public async Task Commands_WithoutAFile_PrintTheUsage(params string[] args)
    {
        Assert.Equal(Backups.UsageExitCode, await Backups.RunAsync(args, _output));
        Assert.Contains("Usage", _output.ToString(), StringComparison.Ordinal);
    }
}

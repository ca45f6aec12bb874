using System.Text.RegularExpressions;
using Fees.Persistence.Database;
using Fees.Testing;
using Npgsql;

namespace Fees.Persistence.Tests.Database;

/// <summary>
/// The service's data source skips the reset of a pooled connection (<c>No Reset On Close</c>) and prepares hot
/// statements automatically. That is only safe while nothing leaves session state on a connection: these tests show
/// the settings are in force, that transaction-scoped state does not outlive its transaction on a reused connection,
/// and that the service's SQL sets no session state.
/// </summary>
public sealed partial class DataSourceSessionTests
{
    /// <summary>A data source with the service's settings and a pool of one, so every open gets the same server session.</summary>
    private static async Task<NpgsqlDataSource> OneConnectionDataSource()
    {
        var database = await TestCluster.NewDatabase("session");
        var single = new NpgsqlConnectionStringBuilder(database.App) { MaxPoolSize = 1 };
        return FeesDataSource.Create(single.ConnectionString);
    }

    private static async Task<T> Once<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task PooledConnection_KeepsItsPreparedStatements_WhenReturnedAndReopened()
    {
        await using var dataSource = await OneConnectionDataSource();
        int pid = await Once<int>(dataSource, "select pg_backend_pid()");
        for (int i = 0; i < FeesDataSource.AutoPrepareMinUsages + 1; i++)
        {
            Assert.Equal(42, await Once<int>(dataSource, "select 41 + 1"));
        }

        // Same server session (no new connection), and the statement is still prepared there: nothing was discarded.
        Assert.Equal(pid, await Once<int>(dataSource, "select pg_backend_pid()"));
        Assert.Equal(1L, await Once<long>(dataSource, "select count(*) from pg_prepared_statements where statement = 'select 41 + 1'"));
    }

    [Fact]
    public async Task ServiceSessions_DoNotJitCompile_UnlessTheConnectionStringSaysHow()
    {
        await using var dataSource = await OneConnectionDataSource();
        Assert.Equal("off", await Once<string>(dataSource, "show jit"));

        var database = await TestCluster.NewDatabase("session-jit");
        var chosen = new NpgsqlConnectionStringBuilder(database.App) { Options = "-c jit=on -c statement_timeout=5000" };
        await using var operatorSays = FeesDataSource.Create(chosen.ConnectionString);
        Assert.Equal("on", await Once<string>(operatorSays, "show jit"));
        Assert.Equal("5s", await Once<string>(operatorSays, "show statement_timeout"));
    }

    [Fact]
    public async Task TransactionLocalSettings_AndTempTablesOnCommitDrop_DoNotOutliveTheirTransaction_OnAReusedConnection()
    {
        await using var dataSource = await OneConnectionDataSource();
        await using (var conn = await dataSource.OpenConnectionAsync())
        {
            await using var tx = await conn.BeginTransactionAsync();
            await using var cmd = new NpgsqlCommand("""
                select set_config('fees.actor', 'thuquy', true);
                create temp table probe (x int) on commit drop;
                """, conn, tx);
            await cmd.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }

        Assert.Equal("", await Once<string>(dataSource, "select coalesce(current_setting('fees.actor', true), '')"));
        Assert.Equal(0L, await Once<long>(dataSource, "select count(*) from pg_tables where tablename = 'probe'"));
    }

    /// <summary>
    /// The service's code never sets session state that would outlive its transaction and reach the next user of a
    /// pooled connection: no session-level <c>set_config</c>, <c>SET</c> of a session setting or role, <c>LISTEN</c>,
    /// session advisory lock, SQL-level <c>PREPARE</c>, or temp table that is not <c>on commit drop</c>.
    /// </summary>
    [Fact]
    public void ServiceSql_SetsNoSessionState()
    {
        string src = Path.Combine(RepositoryFiles.Root, "src");
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => SessionState().IsMatch(l.Text) || (TempTable().IsMatch(l.Text) && !OnCommitDropNearby(l.File, l.Line)))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.Empty(offenders);

        bool OnCommitDropNearby(string file, int line)
        {
            string path = Directory.EnumerateFiles(src, file, SearchOption.AllDirectories).First();
            return File.ReadAllLines(path).Skip(line - 1).Take(12).Any(t => t.Contains("on commit drop", StringComparison.OrdinalIgnoreCase));
        }
    }

    [GeneratedRegex(@"set_config\s*\([^;]*,\s*false\s*\)|\bset\s+(session\s+)?(role|search_path|statement_timeout|lock_timeout|idle_in_transaction_session_timeout|application_name|timezone|work_mem|session_replication_role|default_transaction_\w+)\b|\bset\s+session\b|\b(listen|unlisten)\s+\w|pg_advisory_lock\s*\(|pg_try_advisory_lock\s*\(|(?<![.\w])prepare\s+\w+\s*(\([^)]*\))?\s+as\s", RegexOptions.IgnoreCase)]
    private static partial Regex SessionState();

    [GeneratedRegex(@"create\s+(temp|temporary)\s+table", RegexOptions.IgnoreCase)]
    private static partial Regex TempTable();

}

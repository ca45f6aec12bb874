using Fees.Domain.Time;
using Npgsql;

namespace Fees.Persistence.Database;

/// <summary>
/// Fresh planner statistics for a month's partitions once they have been filled (migration
/// <c>20261202190000_PeriodStatistics</c>). A month is created empty (<see cref="PeriodPartitions"/>);
/// dues generation then writes the whole month's statements in batches within minutes, long before autovacuum looks at
/// the partition again. Plans made in between believe the month is empty. So generation calls <see cref="Refresh"/>
/// after its first batch commits and again at the end: <c>period_statistics_refresh(period)</c> analyzes, with the owner's rights, those of the month's
/// partitions that have grown by more than a fifth since their statistics were taken; the others are left alone, so
/// a second call costs a catalog read.
/// </summary>
public static class PartitionStatistics
{
    /// <summary>
    /// Analyzes the grown partitions of <paramref name="period"/>; returns how many were analyzed, or -1 when another
    /// refresh was running (it will have seen the same rows, or autovacuum will).
    /// </summary>
    public static async Task<int> Refresh(NpgsqlConnection conn, Period period, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(conn);
        await using var cmd = BulkCommands.Command("select period_statistics_refresh(@p)", conn);
        cmd.Parameters.AddWithValue("p", period.FirstDay);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Analyzes those of dues generation's inputs (organizations, members, placements, income, decisions, voluntary
    /// amounts) that have rows and no statistics, or statistics older than a fifth of their rows' changes (migration
    /// <c>20261203130000_GenerationInputStatistics</c>): generation calls it before planning its query, outside a
    /// transaction, so that a month generated right after an import is not planned on an empty picture of the tables.
    /// Returns how many were analyzed, or -1 when another refresh was running.
    /// </summary>
    public static async Task<int> RefreshGenerationInputs(NpgsqlConnection conn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(conn);
        await using var cmd = BulkCommands.Command("select generation_statistics_refresh()", conn);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The SQL a migration runs after moving rows into new tables: <c>ANALYZE</c> of each of
    /// <paramref name="tables"/> that holds a row, and of none that is empty. An empty table analyzed says "no rows"
    /// (reltuples 0), where one never analyzed lets the planner assume ten pages; a generic plan cached in that state
    /// (every foreign-key check's is, per connection, after five calls) scans the table sequentially from then on,
    /// until autovacuum analyzes it again. With the ledger partitioned, on a freshly migrated database, that turned each
    /// posting's foreign-key checks of its entry and source into scans of the whole month (LedgerBench: 3-8 ms of server
    /// CPU per posting, growing with the ledger; docs/performance.md).
    /// </summary>
    public static string AnalyzeWhereFilledSql(params string[] tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var body = string.Concat(tables.Select(t =>
            $"  if exists (select from {t}) then analyze {t}; end if;\n"));
        return "do $analyze$ begin\n" + body + "end $analyze$;\n";
    }
}

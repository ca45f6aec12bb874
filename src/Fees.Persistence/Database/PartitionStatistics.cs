using Fees.Domain.Time;
using Npgsql;

namespace Fees.Persistence.Database;

/// <summary>
/// Fresh planner statistics for a month's partitions once they have been filled (migration
/// <c>20261202190000_PeriodStatistics</c>). A month is created, and analyzed, empty (<see cref="PeriodPartitions"/>);
/// dues generation then writes the whole month's statements in one transaction, long before autovacuum looks at the
/// partition again. Plans made in between believe the month is empty. So generation calls <see cref="Refresh"/> after
/// it commits: <c>period_statistics_refresh(period)</c> analyzes, with the owner's rights, those of the month's
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
}

using Fees.Domain.Time;
using Npgsql;

namespace Fees.Persistence.Database;

/// <summary>
/// The monthly partitions of the tables partitioned by period (<see cref="Tables"/>; migration
/// <c>20261202120000_PartitionByPeriod</c>). A row for a month without a partition is refused ("no partition of relation
/// … found for row"): there is no DEFAULT partition to catch it, so the months must exist before their first row. The
/// first row of a month is always a statement written by dues generation (allocations, continuations and cancellations
/// follow a statement and keep its period), so generation calls <c>Ensure</c> for its period before it writes,
/// and every start of the service for the current month and <see cref="MonthsAheadAtStart"/> after it; the migration
/// created the months up to a year past its day.
/// </summary>
/// <remarks>
/// <c>ensure_period_partitions(upto)</c> runs with the owner's rights (the service's role may not create tables) and
/// only the service's role may execute it (<see cref="DatabaseRoles.GrantAppRole"/>). It takes a transaction-scoped
/// advisory lock, then creates, for every table, the months from 2026-08 to <c>upto</c> that are not yet partitions:
/// idempotent (a second call creates nothing) and safe under concurrency (callers queue on the lock and the later ones
/// find the months there). Each month is created as a plain table and then attached, which locks the parent only in
/// SHARE UPDATE EXCLUSIVE mode: reads and writes of other months go on while a month is added. It is called in its own
/// short transaction, never inside a long one, so the lock is released at once.
/// </remarks>
public static class PeriodPartitions
{
    /// <summary>The tables partitioned by period, one partition per month, named <c>{table}_pYYYY_MM</c>.</summary>
    public static readonly IReadOnlyList<string> Tables = ["dues_statements", "receipt_allocations"];

    /// <summary>How many months past the current one every start makes sure of.</summary>
    public const int MonthsAheadAtStart = 3;

    /// <summary>The name of the partition holding <paramref name="period"/> of <paramref name="table"/>.</summary>
    public static string PartitionOf(string table, Period period) => $"{table}_p{period.Year:D4}_{period.Month:D2}";

    /// <summary>Creates every missing month up to <paramref name="upto"/> (inclusive); returns how many partitions it created.</summary>
    public static async Task<int> Ensure(NpgsqlConnection conn, Period upto, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(conn);
        await using var cmd = new NpgsqlCommand("select ensure_period_partitions(@upto)", conn);
        cmd.Parameters.AddWithValue("upto", upto.FirstDay);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Creates every missing month up to <paramref name="upto"/> on a connection of its own.</summary>
    public static async Task<int> Ensure(NpgsqlDataSource dataSource, Period upto, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await Ensure(conn, upto, ct);
    }
}

using System.Collections.Concurrent;
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
/// created the months up to a year past its day. The ledger's entries and postings (migration
/// <c>20261202160000_PartitionLedgerByPeriod</c>) are posted on other days than a statement's: every posting goes through
/// <c>LedgerStore</c>, which calls <see cref="EnsureMonths"/> for its entries' months (no round trip for a month this
/// process has met), and the monthly dues job moves the horizon ahead as every start does. Receipts (migration <c>20261202170000_PartitionReceipts</c>) are the
/// exception: a receipt is in the month of its booking day, which the bank line fixes and which may be a month nobody
/// generated (a new month's first transfer, a history page of an old one); booking and cash receipts check their months
/// and create a missing one before they write (<see cref="PartitionMonths"/>).
/// </summary>
/// <remarks>
/// <c>ensure_period_partitions(upto)</c> runs with the owner's rights (the service's role may not create tables) and
/// only the service's role may execute it (<see cref="DatabaseRoles.GrantAppRole"/>). It takes a transaction-scoped
/// advisory lock, then creates, for every table, the months from 2026-08 to <c>upto</c> that are not yet partitions:
/// idempotent (a second call creates nothing) and safe under concurrency (callers queue on the lock and the later ones
/// find the months there). Each month is created as a plain table and then attached, which locks the parent only in
/// SHARE UPDATE EXCLUSIVE mode: reads and writes of other months go on while a month is added, except that attaching
/// also waits for the writes in flight on the tables a foreign key joins to it (statement_cancellations for a statements
/// month; receipt_allocations, payment_receipts and treasurer_actions for a receipts month; receipts for an allocations
/// month), and those wait behind it for the moment it takes. It is called in its own short transaction, never inside a
/// long one or one that writes those tables, so the lock is released at once. The function reads its tables from the
/// catalog (every table of <c>public</c> partitioned by range on <c>period</c>); <c>ensure_period_partitions(since,
/// upto)</c> creates any range of months from 2000-01 (<see cref="Ensure(NpgsqlConnection, Period, Period, CancellationToken)"/>, which <see cref="PartitionMonths"/> calls for receipts), and both return
/// without taking the lock when nothing is missing.
/// </remarks>
public static class PeriodPartitions
{
    /// <summary>The tables partitioned by period, one partition per month, named <c>{table}_pYYYY_MM</c>.</summary>
    public static readonly IReadOnlyList<string> Tables = ["dues_statements", "receipt_allocations", "ledger_entries", "ledger_postings", "receipts"];

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

    // The months this process has seen in place, per database: a posting calls the database only for a month it has
    // not met before (a new month past the horizon, a bank line booked on an odd day).
    private static readonly ConcurrentDictionary<(string Database, Period Month), bool> KnownMonths = new();

    /// <summary>
    /// Makes sure each of <paramref name="months"/> has its partitions before rows are written into it, on the caller's
    /// connection (inside its transaction, if any). The ledger posts on the day of an action, the period of a close or a
    /// bank line's booking day, any month from 2000 on: the months just ahead are made at start and by the monthly dues
    /// job, the ones before by the migrations, and an odd month here, once. A month this process already met costs no
    /// round trip; otherwise <c>ensure_period_partitions(m, m)</c>, which takes no lock when the month is there.
    /// </summary>
    /// <remarks>A month is remembered only once the database said it was already there (created and committed by
    /// someone), never on the call that created it: that call's transaction may still roll back.</remarks>
    public static async Task EnsureMonths(NpgsqlConnection conn, IEnumerable<Period> months, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(conn);
        ArgumentNullException.ThrowIfNull(months);
        string database = conn.DataSource + "/" + conn.Database;
        foreach (var month in months.Distinct())
        {
            if (KnownMonths.ContainsKey((database, month)))
            {
                continue;
            }
            if (await Ensure(conn, month, month, ct) == 0)
            {
                KnownMonths.TryAdd((database, month), true);
            }
        }
    }

    /// <summary>Creates every missing month from <paramref name="from"/> to <paramref name="upto"/> (inclusive, any month
    /// from 2000 on); returns how many partitions it created.</summary>
    public static async Task<int> Ensure(NpgsqlConnection conn, Period from, Period upto, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(conn);
        await using var cmd = new NpgsqlCommand("select ensure_period_partitions(@from, @upto)", conn);
        cmd.Parameters.AddWithValue("from", from.FirstDay);
        cmd.Parameters.AddWithValue("upto", upto.FirstDay);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }
}

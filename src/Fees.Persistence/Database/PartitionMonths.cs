using System.Collections.Concurrent;
using Fees.Domain.Time;
using Npgsql;

namespace Fees.Persistence.Database;

/// <summary>
/// The months a writer may need that no generation made first: a bank line is booked in the month of its own booking
/// day, which can be any day since 2000 (a line of a new month, a history page of an old one), and a cash receipt in the
/// month of the day it was taken. Such a writer checks its months inside its transaction with <see cref="Require"/>
/// (free once a month is known to this service), and when one is missing it throws
/// <see cref="PartitionsMissingException"/>: its transaction rolls back, the caller creates the months with
/// <see cref="Ensure"/> in a short transaction of its own and tries again. The months are never created inside the
/// writer's transaction: attaching a partition waits for the writes in flight on the tables whose foreign keys join it
/// (a receipt's month waits for allocations, biên lai and treasurer actions being written), so doing it while holding
/// such writes could wait for itself.
/// </summary>
/// <remarks>
/// A month is known once it was seen complete (a partition of every table partitioned by period) or created; partitions
/// are never dropped by the service, so what is known stays true for the life of the process.
/// </remarks>
public sealed class PartitionMonths(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<Period, bool> _known = new();

    /// <summary>The earliest month a partition may be made for (<c>BankTransactionLimits.EarliestBookedAt</c>: 2000-01-01).</summary>
    public static readonly Period Earliest = Period.Of(2000, 1);

    /// <summary>
    /// Throws <see cref="PartitionsMissingException"/> when one of <paramref name="months"/> has no partition of some
    /// table partitioned by period; reads the catalog only for months this service has not seen yet.
    /// </summary>
    public async Task Require(NpgsqlConnection conn, NpgsqlTransaction? tx, IEnumerable<Period> months, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(months);
        var unknown = months.Where(m => !_known.ContainsKey(m)).Distinct().Order().ToArray();
        if (unknown.Length == 0)
        {
            return;
        }
        // A month is complete when every table partitioned by period (the catalog says which) has its partition.
        await using var cmd = new NpgsqlCommand("""
            select m from unnest(@months) m
            where exists (
              select 1 from pg_partitioned_table pt
              join pg_class t on t.oid = pt.partrelid and t.relnamespace = 'public'::regnamespace
              join pg_attribute a on a.attrelid = t.oid and a.attnum = pt.partattrs[0] and a.attname = 'period'
              where pt.partstrat = 'r' and not t.relispartition
                and not exists (select 1 from pg_inherits i join pg_class c on c.oid = i.inhrelid
                                where i.inhparent = t.oid and c.relname = t.relname || '_p' || to_char(m, 'YYYY_MM')))
            """, conn, tx);
        cmd.Parameters.AddWithValue("months", unknown.Select(m => m.FirstDay).ToArray());
        var missing = new List<Period>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                missing.Add(Period.Containing(r.GetFieldValue<DateOnly>(0)));
            }
        }
        foreach (var m in unknown.Except(missing))
        {
            _known[m] = true;
        }
        if (missing.Count > 0)
        {
            throw new PartitionsMissingException(missing);
        }
    }

    /// <summary>
    /// Creates the partitions of <paramref name="months"/> that are missing, for every table partitioned by period, each
    /// month in its own short transaction on a connection of its own (<c>ensure_period_partitions(since, upto)</c>:
    /// owner's rights, idempotent, safe under concurrency). Months this service knows exist cost nothing.
    /// </summary>
    /// <returns>How many partitions were created.</returns>
    public async Task<int> Ensure(IEnumerable<Period> months, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(months);
        var unknown = months.Where(m => !_known.ContainsKey(m)).Distinct().Order().ToArray();
        int created = 0;
        if (unknown.Length == 0)
        {
            return created;
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        foreach (var month in unknown)
        {
            if (month < Earliest)
            {
                throw new ArgumentOutOfRangeException(nameof(months), month, "Partitions begin in 2000-01.");
            }
            created += await PeriodPartitions.Ensure(conn, month, month, ct);
            _known[month] = true;
        }
        return created;
    }
}

/// <summary>A write needs the partitions of these months, which do not exist yet (<see cref="PartitionMonths"/>): create them, then try again.</summary>
public sealed class PartitionsMissingException : Exception
{
    public PartitionsMissingException(IReadOnlyList<Period> months)
        : base("No partition yet for " + string.Join(", ", (months ?? []).Select(m => m.ToString())) + ".")
    {
        Months = months ?? [];
    }

    public PartitionsMissingException()
        : this([])
    {
    }

    public PartitionsMissingException(string message)
        : base(message)
    {
        Months = [];
    }

    public PartitionsMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Months = [];
    }

    /// <summary>The months to create.</summary>
    public IReadOnlyList<Period> Months { get; }
}

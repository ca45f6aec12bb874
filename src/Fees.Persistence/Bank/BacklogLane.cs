namespace Fees.Persistence.Bank;

/// <summary>
/// One of <see cref="Count"/> disjoint shares of the waiting bank transactions, by a hash of the receiving account
/// (<see cref="BankInbox.ProcessBatch(int, BacklogLane, CancellationToken)"/>): a backlog booked by several loops at
/// once is split so that no two loops book into the same account.
/// </summary>
public readonly record struct BacklogLane
{
    /// <summary>At most this many lanes (more loops than this would not find cores to run on).</summary>
    public const int MaxCount = 64;

    /// <summary>Every waiting transaction.</summary>
    public static readonly BacklogLane All = new(0, 1);

    public BacklogLane(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        Index = index;
        Count = count;
    }

    public int Index { get; }

    public int Count { get; }

    /// <summary>The <paramref name="count"/> lanes that together cover every waiting transaction once.</summary>
    public static IReadOnlyList<BacklogLane> Split(int count) => [.. Enumerable.Range(0, count).Select(i => new BacklogLane(i, count))];
}

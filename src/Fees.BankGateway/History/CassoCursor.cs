namespace Fees.BankGateway.History;

/// <summary>
/// Where a Casso history poll resumes: the Vietnam calendar day being read, the next page of it, whether this pass is
/// the final one for the day, and the ids of the day already delivered.
/// </summary>
/// <remarks>
/// <para>Casso pages a day's transactions, and a late booking can land anywhere in them, so page numbers alone are not a
/// safe resume point. The rule (<see cref="CassoHistory"/>): a day is read page by page; while it is not settled (its end
/// plus <see cref="CassoHistoryOptions.SettleDelay"/>), every pass starts again at page 1 and <see cref="SeenIds"/> stops
/// re-delivery; a day is left only after one full pass that began after it settled (<see cref="FinalPass"/>).</para>
/// <para>Equality is by value, <see cref="SeenIds"/> compared as a set.</para>
/// </remarks>
public sealed record CassoCursor
{
    private IReadOnlyList<long> _seenIds = [];

    /// <summary>The Vietnam calendar day being read.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>The next page to read, from 1.</summary>
    public required int Page
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Page), "Pages are numbered from 1.");
    }

    /// <summary>Whether the pass under way began after the day settled; its end moves the cursor to the next day.</summary>
    public bool FinalPass { get; init; }

    /// <summary>Ids of <see cref="Date"/> already delivered (or skipped as another account's), ascending and distinct.</summary>
    public IReadOnlyList<long> SeenIds
    {
        get => _seenIds;
        init => _seenIds = (value ?? throw new ArgumentNullException(nameof(SeenIds))).Distinct().Order().ToArray();
    }

    /// <summary>A cursor before the first page of <paramref name="date"/>.</summary>
    public static CassoCursor Start(DateOnly date) => new() { Date = date, Page = 1 };

    public bool Equals(CassoCursor? other) =>
        other is not null && Date == other.Date && Page == other.Page && FinalPass == other.FinalPass && SeenIds.SequenceEqual(other.SeenIds);

    public override int GetHashCode() => HashCode.Combine(Date, Page, FinalPass, SeenIds.Count);
}

namespace Fees.Domain.Members;

/// <summary>How a member belongs to an organization: chuyển sinh hoạt đảng chính thức or tạm thời.</summary>
public enum PlacementKind
{
    /// <summary>Official membership (sinh hoạt đảng chính thức).</summary>
    Official,
    /// <summary>Temporary party activity elsewhere (sinh hoạt đảng tạm thời): dues are paid where the member is active.</summary>
    Temporary,
}

public static class PlacementKindCodes
{
    public const string Official = "official";
    public const string Temporary = "temporary";

    public static string ToCode(this PlacementKind kind) => kind == PlacementKind.Official ? Official : Temporary;

    public static bool TryParse(string? code, out PlacementKind kind)
    {
        (bool ok, kind) = code switch
        {
            Official => (true, PlacementKind.Official),
            Temporary => (true, PlacementKind.Temporary),
            _ => (false, default),
        };
        return ok;
    }
}

/// <summary>
/// One interval of a member's history: in organization <see cref="OrgId"/> from <see cref="ValidFrom"/>
/// (inclusive) until <see cref="ValidTo"/> (exclusive, open when null). Rows are never rewritten except to close
/// an open interval when a move is recorded, so the history of every member stays readable.
/// </summary>
public sealed class MemberPlacement
{
    /// <summary>Start of the history for members imported with no earlier record: "since before the system".</summary>
    public static readonly DateOnly SinceBeforeSystem = new(1900, 1, 1);

    private MemberPlacement()
    {
    }

    public long Id { get; private set; }
    public long MemberId { get; private set; }
    public long OrgId { get; private set; }
    public PlacementKind Kind { get; private set; }
    public DateOnly ValidFrom { get; private set; }
    public DateOnly? ValidTo { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    public string RecordedBy { get; private set; } = "";
    /// <summary>Decision or note behind the move (quyết định chuyển sinh hoạt đảng), when known.</summary>
    public string? Reference { get; private set; }

    public bool IsInForceOn(DateOnly date) => ValidFrom <= date && (ValidTo is null || ValidTo > date);

    public bool IsOpenOfficial => Kind == PlacementKind.Official && ValidTo is null;

    /// <summary>A new interval in <paramref name="orgId"/> from <paramref name="from"/> (until <paramref name="until"/> for temporary activity).</summary>
    public static MemberPlacement Open(long memberId, long orgId, PlacementKind kind, DateOnly from, DateOnly? until, string recordedBy, string? reference, DateTimeOffset now)
    {
        if (kind == PlacementKind.Temporary && (until is null || until <= from))
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, "Temporary activity needs an end after its start.");
        }
        if (kind == PlacementKind.Official && until is not null)
        {
            throw new ArgumentOutOfRangeException(nameof(until), until, "An official placement is open until the next move.");
        }
        return new MemberPlacement
        {
            MemberId = memberId, OrgId = orgId, Kind = kind, ValidFrom = from, ValidTo = until,
            RecordedBy = recordedBy, Reference = reference, RecordedAt = now,
        };
    }

    /// <summary>Ends this open interval at <paramref name="on"/> (exclusive): the member moved.</summary>
    public void CloseOn(DateOnly on)
    {
        if (ValidTo is not null)
        {
            throw new InvalidOperationException($"Placement {Id} already ended on {ValidTo}.");
        }
        if (on <= ValidFrom)
        {
            throw new ArgumentOutOfRangeException(nameof(on), on, $"Placement {Id} starts on {ValidFrom}; it cannot end before that.");
        }
        ValidTo = on;
    }

    /// <summary>
    /// The placement that decides where a member pays on <paramref name="date"/>: temporary activity first (dues are
    /// paid where the member is active), then the latest start. Null when none is in force.
    /// </summary>
    public static MemberPlacement? DuesPlacementOn(IEnumerable<MemberPlacement> placements, DateOnly date) =>
        placements.Where(p => p.IsInForceOn(date))
            .OrderByDescending(p => p.Kind == PlacementKind.Temporary)
            .ThenByDescending(p => p.ValidFrom)
            .FirstOrDefault();
}

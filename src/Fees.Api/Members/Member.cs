using Fees.Domain.Members;

namespace Fees.Api.Members;

/// <summary>A party member (đảng viên), keyed by the party card number.</summary>
public sealed class Member
{
    public long Id { get; set; }
    /// <summary>Số thẻ đảng viên: up to 20 characters of digits, letters, '.' or '-'.</summary>
    public required string MemberNo { get; set; }
    public required string FullName { get; set; }
    public MemberStatus Status { get; set; }
    public MemberCategory Category { get; set; }
    public DateOnly BirthDate { get; set; }
    public Sex Sex { get; set; }
    public DateOnly PartyJoinedOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
}

/// <summary>How a member belongs to an organization: chuyển sinh hoạt đảng chính thức or tạm thời.</summary>
public enum PlacementKind
{
    /// <summary>Official membership (sinh hoạt đảng chính thức).</summary>
    Official,
    /// <summary>Temporary party activity elsewhere (sinh hoạt đảng tạm thời): dues are paid where the member is active.</summary>
    Temporary,
}

/// <summary>
/// One interval of a member's history: in organization <see cref="OrgId"/> from <see cref="ValidFrom"/>
/// (inclusive) until <see cref="ValidTo"/> (exclusive, open when null). Rows are never rewritten except to close
/// an open interval when a move is recorded, so the history of every member stays readable.
/// </summary>
public sealed class MemberPlacement
{
    public long Id { get; set; }
    public long MemberId { get; set; }
    public long OrgId { get; set; }
    public PlacementKind Kind { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public required string RecordedBy { get; set; }
    /// <summary>Decision or note behind the move (quyết định chuyển sinh hoạt đảng), when known.</summary>
    public string? Reference { get; set; }

    /// <summary>Start of the history for members imported with no earlier record: "since before the system".</summary>
    public static readonly DateOnly SinceBeforeSystem = new(1900, 1, 1);
}

/// <summary>Social-insurance salary, benefit and pension data of one member for one month.</summary>
public sealed class IncomeRecord
{
    public long MemberId { get; set; }
    /// <summary>First day of the month the data is for.</summary>
    public DateOnly Period { get; set; }
    public long? SiSalary { get; set; }
    public long? SiBenefit { get; set; }
    public long? Pension { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

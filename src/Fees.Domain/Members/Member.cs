namespace Fees.Domain.Members;

/// <summary>A party member (đảng viên), keyed by the party card number. Created and updated by the set-based import.</summary>
public sealed class Member
{
    private Member()
    {
    }

    public long Id { get; private set; }
    /// <summary>Số thẻ đảng viên: up to 20 characters of digits, letters, '.' or '-'.</summary>
    public string MemberNo { get; private set; } = "";
    public string FullName { get; private set; } = "";
    public MemberStatus Status { get; private set; }
    public MemberCategory Category { get; private set; }
    public DateOnly BirthDate { get; private set; }
    public Sex Sex { get; private set; }
    public DateOnly PartyJoinedOn { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public uint Version { get; private set; }
}

/// <summary>Social-insurance salary, benefit and pension data of one member for one month (đồng; null = none).</summary>
public sealed class IncomeRecord
{
    private IncomeRecord()
    {
    }

    public long MemberId { get; private set; }
    /// <summary>First day of the month the data is for.</summary>
    public DateOnly Period { get; private set; }
    public long? SiSalary { get; private set; }
    public long? SiBenefit { get; private set; }
    public long? Pension { get; private set; }
    /// <summary>
    /// Where the figures came from: <c>import</c> (the income import) or <c>declared:{id}</c> (the member's declaration,
    /// confirmed by the cell: <see cref="IncomeDeclaration.SourceOf"/>).
    /// </summary>
    public string Source { get; private set; } = ImportSource;
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The <see cref="Source"/> of figures from the income import.</summary>
    public const string ImportSource = "import";
}

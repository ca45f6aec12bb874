using Fees.Domain.Organizations;

namespace Fees.DemoData;

/// <summary>What kind of people a member-holding organization has: drives categories, ages, sex and income.</summary>
internal enum LeafProfile
{
    None,
    RuralResidential,
    UrbanResidential,
    CommuneOffice,
    School,
    Agency,
    Armed,
    Enterprise,
}

/// <summary>One organization of the generated tree. The whole tree stays in memory; members never do.</summary>
internal sealed class OrgNode
{
    public required int Index { get; init; }
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required OrgKind Kind { get; init; }
    public required OrgNode? Parent { get; init; }
    public required OrgSetting Setting { get; init; }
    public required WageRegion Region { get; init; }
    public required LeafProfile Profile { get; init; }
    public required string BankBin { get; init; }
    public required string BankAccount { get; init; }

    /// <summary>False for the few organizations left without an account on purpose.</summary>
    public bool HasBankAccount { get; set; } = true;

    /// <summary>Relative size used to share the members out (member-holding kinds only).</summary>
    public int Weight { get; set; }

    public int MemberCount { get; set; }

    /// <summary>Sequence number (1-based, province-wide) of this organization's first member.</summary>
    public long FirstMemberSeq { get; set; }

    public bool HoldsMembers => Kind is OrgKind.Cell or OrgKind.BaseCell;
}

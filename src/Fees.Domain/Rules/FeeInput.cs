using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Time;

namespace Fees.Domain.Rules;

/// <summary>
/// What the calculator needs to know about one member for one period. Only <see cref="Period"/> and
/// <see cref="Category"/> are always required; each rule says which of the others it reads, and a missing value a rule
/// needs makes the quote <see cref="FeeOutcome.AwaitingData"/>, never a silent zero.
/// </summary>
/// <remarks>Amounts must not be negative (a negative salary is a bug upstream and throws).</remarks>
public sealed record FeeInput
{
    public required Period Period { get; init; }

    public required MemberCategory Category { get; init; }

    /// <summary>Official or probationary; both pay the same (<see cref="RuleIds.Probationary"/>).</summary>
    public MemberStatus Status { get; init; } = MemberStatus.Official;

    /// <summary>The salary on which compulsory SI was computed for the month <em>before</em> <see cref="Period"/> (<see cref="RuleIds.SiSalary"/>).</summary>
    public Money? SiSalary { get; init; }

    /// <summary>The sick or maternity benefit paid by BHXH (<see cref="RuleIds.SiBenefit"/>).</summary>
    public Money? SiBenefit { get; init; }

    /// <summary>The monthly pension (<see cref="RuleIds.Pension"/>).</summary>
    public Money? Pension { get; init; }

    /// <summary>The wage region where the member's organization meets (a property of the organization).</summary>
    public WageRegion? WageRegion { get; init; }

    public DateOnly? BirthDate { get; init; }

    public Sex? Sex { get; init; }

    /// <summary>The date the member joined the party (ngày vào Đảng), from which party years are counted.</summary>
    public DateOnly? PartyJoinedOn { get; init; }

    /// <summary>The committee decision on file, if any; it applies only in the periods it covers.</summary>
    public FeeDecision? Decision { get; init; }

    /// <summary>A higher monthly amount declared by the member and approved by the cell (<see cref="RuleIds.Voluntary"/>).</summary>
    public Money? VoluntaryAmount { get; init; }
}

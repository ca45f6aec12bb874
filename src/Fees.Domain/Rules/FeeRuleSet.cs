using Fees.Domain.Amounts;
using Fees.Domain.Time;

namespace Fees.Domain.Rules;

/// <summary>When the automatic exemption for 50 years of party membership (<see cref="RuleIds.FiftyYearsExempt"/>) starts.</summary>
public enum PartyYearsExemptionStart
{
    /// <summary>From the period that contains the anniversary (joined 15/08/1976 → exempt from 2026-08). The default.</summary>
    PeriodContainingAnniversary = 0,
    /// <summary>From the period after the anniversary (joined 15/08/1976 → exempt from 2026-09).</summary>
    PeriodAfterAnniversary = 1,
}

/// <summary>
/// The rates and parameters of the fee rules in force from <see cref="ValidFrom"/> until the next rule set of the
/// <see cref="FeeRuleBook"/> starts. Rates are data: a change of rates (such as 01-QĐ/TW's step on 2028-01) is a new
/// rule set, not a code change.
/// </summary>
public sealed record FeeRuleSet
{
    /// <summary>A short id shown in audits, e.g. <c>01-QĐ/TW@2026-02</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The regulation the rates come from.</summary>
    public required string Source { get; init; }

    /// <summary>First period this set applies to.</summary>
    public required Period ValidFrom { get; init; }

    /// <summary><see cref="RuleIds.SiSalary"/>: share of last month's social-insurance salary.</summary>
    public required Percent SiSalaryRate { get; init; }

    /// <summary><see cref="RuleIds.SiBenefit"/>: share of the sick or maternity benefit.</summary>
    public required Percent SiBenefitRate { get; init; }

    /// <summary><see cref="RuleIds.Pension"/>: share of the pension.</summary>
    public required Percent PensionRate { get; init; }

    /// <summary><see cref="RuleIds.Student"/>: the fixed monthly amount.</summary>
    public required Money StudentAmount { get; init; }

    /// <summary><see cref="RuleIds.OtherBelowRetirementAge"/>: share of the regional minimum wage below retirement age.</summary>
    public required Percent OtherBelowRetirementRate { get; init; }

    /// <summary><see cref="RuleIds.OtherAtRetirementAge"/>: share of the regional minimum wage at or above retirement age.</summary>
    public required Percent OtherAtRetirementRate { get; init; }

    /// <summary><see cref="RuleIds.FiftyYearsExempt"/>: years of membership that exempt a member.</summary>
    public int ExemptAfterPartyYears { get; init; } = 50;

    /// <summary><see cref="RuleIds.FiftyYearsExempt"/>: which period the exemption starts.</summary>
    public PartyYearsExemptionStart PartyYearsExemptionStart { get; init; } = PartyYearsExemptionStart.PeriodContainingAnniversary;

    /// <summary><see cref="RuleIds.Rounding"/>: how the exact amount becomes whole đồng (once, at the end).</summary>
    public Rounding Rounding { get; init; } = Rounding.HalfUp;

    /// <summary>01-QĐ/TW, first step: from 2026-02 (effective 01/02/2026) to 2027-12.</summary>
    public static FeeRuleSet Qd01From2026 { get; } = new()
    {
        Id = "01-QĐ/TW@2026-02",
        Source = "Quy định 01-QĐ/TW ngày 03/02/2026 về chế độ đảng phí (áp dụng từ 01/02/2026)",
        ValidFrom = Period.Of(2026, 2),
        SiSalaryRate = Percent.FromBasisPoints(100),
        SiBenefitRate = Percent.FromBasisPoints(100),
        PensionRate = Percent.FromBasisPoints(50),
        StudentAmount = Money.NonNegative(5_000),
        OtherBelowRetirementRate = Percent.FromBasisPoints(30),
        OtherAtRetirementRate = Percent.FromBasisPoints(20),
    };

    /// <summary>01-QĐ/TW, second step: from 2028-01 the minimum-wage shares rise to 0.5% and 0.3%.</summary>
    public static FeeRuleSet Qd01From2028 { get; } = Qd01From2026 with
    {
        Id = "01-QĐ/TW@2028-01",
        ValidFrom = Period.Of(2028, 1),
        OtherBelowRetirementRate = Percent.FromBasisPoints(50),
        OtherAtRetirementRate = Percent.FromBasisPoints(30),
    };
}

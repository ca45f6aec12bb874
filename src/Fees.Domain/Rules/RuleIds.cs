namespace Fees.Domain.Rules;

/// <summary>
/// The ids of the fee rules, as listed in <c>docs/fee-rules.md</c>. Quotes, explanations, statements and tests
/// name rules by these ids, so an auditor can go from any amount to the rule and its source.
/// </summary>
public static class RuleIds
{
    /// <summary>In compulsory SI: 1% of last month's SI salary.</summary>
    public const string SiSalary = "FR-01";
    /// <summary>On a BHXH sick or maternity benefit: 1% of the benefit.</summary>
    public const string SiBenefit = "FR-02";
    /// <summary>Pensioner not in compulsory SI: 0.5% of the pension.</summary>
    public const string Pension = "FR-03";
    /// <summary>Student: a fixed amount.</summary>
    public const string Student = "FR-04";
    /// <summary>Not in SI, no pension, below retirement age: a share of the regional minimum wage.</summary>
    public const string OtherBelowRetirementAge = "FR-05";
    /// <summary>Not in SI, no pension, at or above retirement age: a smaller share of the regional minimum wage.</summary>
    public const string OtherAtRetirementAge = "FR-06";
    /// <summary>On the social pension (trợ cấp hưu trí xã hội): exempt.</summary>
    public const string SocialPensionExempt = "FR-07";
    /// <summary>50 or more years of party membership: exempt.</summary>
    public const string FiftyYearsExempt = "FR-08";
    /// <summary>Full exemption decided by the competent committee.</summary>
    public const string DecisionExempt = "FR-09";
    /// <summary>Reduction of 30%, 50% or 70% decided by the competent committee.</summary>
    public const string DecisionReduction = "FR-10";
    /// <summary>Voluntary higher amount, approved by the cell.</summary>
    public const string Voluntary = "FR-11";
    /// <summary>Amounts are whole đồng, rounded once at the end (half-up by default).</summary>
    public const string Rounding = "FR-12";
    /// <summary>The income a percentage rule needs is missing: awaiting data, never a silent zero.</summary>
    public const string AwaitingData = "FR-13";
    /// <summary>Probationary members pay like official ones.</summary>
    public const string Probationary = "FR-14";
    /// <summary>Normal retirement age by birth month and sex (Bộ luật Lao động 2019 Điều 169, Nghị định 135/2020/NĐ-CP).</summary>
    public const string RetirementAge = "FR-15";
    /// <summary>Regional minimum wage table (Nghị định 293/2025/NĐ-CP, 74/2024/NĐ-CP).</summary>
    public const string MinimumWage = "FR-16";
    /// <summary>Fees are computed only for periods covered by a rule set (01-QĐ/TW, from 2026-02).</summary>
    public const string Coverage = "FR-17";
    /// <summary>Members excused from party work and meetings still pay (no exemption).</summary>
    public const string ExcusedMembersPay = "FR-18";
}

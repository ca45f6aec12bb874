using System.Diagnostics.CodeAnalysis;
using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;

namespace Fees.Domain.Rules;

/// <summary>
/// The body of <c>POST /api/fees/quote</c> exactly as the contract names it (camelCase in JSON), in primitive types so
/// that it binds directly: <c>{"period","category","siSalary"?,"siBenefit"?,"pension"?,"wageRegion"?,"birthDate"?,
/// "sex"?,"partyJoinedOn"?,"reductionPercent"?,"voluntaryAmount"?}</c>. <see cref="ToInput"/> validates it and
/// names every bad field, for a 400/422 problem-details answer.
/// </summary>
public sealed record FeeQuoteRequest
{
    /// <summary><c>yyyy-MM</c>.</summary>
    public string? Period { get; init; }

    /// <summary><c>si</c>, <c>si_benefit</c>, <c>pensioner</c>, <c>student</c>, <c>other</c>, <c>social_pension</c>.</summary>
    public string? Category { get; init; }

    /// <summary>SI salary of the month before <see cref="Period"/>, đồng.</summary>
    public long? SiSalary { get; init; }

    public long? SiBenefit { get; init; }

    public long? Pension { get; init; }

    /// <summary>1–4.</summary>
    public int? WageRegion { get; init; }

    public DateOnly? BirthDate { get; init; }

    /// <summary><c>M</c> or <c>F</c>.</summary>
    public string? Sex { get; init; }

    public DateOnly? PartyJoinedOn { get; init; }

    /// <summary>30, 50, 70 or 100 (full exemption): a what-if committee decision for this period.</summary>
    public int? ReductionPercent { get; init; }

    /// <summary>An approved voluntary monthly amount, đồng.</summary>
    public long? VoluntaryAmount { get; init; }

    /// <summary>
    /// Converts to a <see cref="FeeInput"/>, or refuses with one message per bad field (keys are the JSON names).
    /// A period that <paramref name="rules"/> does not cover (before 2026-02) is refused here, and so is any amount
    /// beyond <see cref="FeeLimits"/>.
    /// </summary>
    public Outcome<FeeInput> ToInput(FeeRuleBook rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);

        Period period = default;
        if (!Time.Period.TryParse(Period, out period))
        {
            problems["period"] = "Kỳ phải có dạng yyyy-MM.";
        }
        else if (!rules.Covers(period))
        {
            problems["period"] = $"Chưa có quy định đảng phí cho kỳ {period}: quy định 01-QĐ/TW áp dụng từ kỳ {rules.FirstPeriod} ({RuleIds.Coverage}).";
        }

        MemberCategory category = default;
        if (Category is null || !MemberCodes.TryParseCategory(Category, out category))
        {
            problems["category"] = "Loại đảng viên phải là si, si_benefit, pensioner, student, other hoặc social_pension.";
        }

        var siSalary = Amount(SiSalary, "siSalary", FeeLimits.MaxMonthlyIncome, problems);
        var siBenefit = Amount(SiBenefit, "siBenefit", FeeLimits.MaxMonthlyIncome, problems);
        var pension = Amount(Pension, "pension", FeeLimits.MaxMonthlyIncome, problems);
        var voluntary = Amount(VoluntaryAmount, "voluntaryAmount", FeeLimits.MaxVoluntaryAmount, problems);

        WageRegion? region = null;
        if (WageRegion is { } r)
        {
            if (r is >= 1 and <= 4)
            {
                region = (WageRegion)r;
            }
            else
            {
                problems["wageRegion"] = "Vùng lương tối thiểu phải từ 1 đến 4.";
            }
        }

        Sex? sex = null;
        if (Sex is not null)
        {
            if (MemberCodes.TryParseSex(Sex, out var s))
            {
                sex = s;
            }
            else
            {
                problems["sex"] = "Giới tính phải là M hoặc F.";
            }
        }

        if (ReductionPercent is { } pct && FeeDecision.ForQuote(pct, Time.Period.FirstOnSystem) is null)
        {
            problems["reductionPercent"] = "Mức giảm phải là 30, 50, 70 hoặc 100.";
        }

        if (problems.Count > 0)
        {
            return Refusal.Invalid(problems.ToDictionary(p => p.Key, p => new[] { p.Value }, StringComparer.Ordinal));
        }

        return new FeeInput
        {
            Period = period,
            Category = category,
            SiSalary = siSalary,
            SiBenefit = siBenefit,
            Pension = pension,
            WageRegion = region,
            BirthDate = BirthDate,
            Sex = sex,
            PartyJoinedOn = PartyJoinedOn,
            Decision = ReductionPercent is { } percent ? FeeDecision.ForQuote(percent, period) : null,
            VoluntaryAmount = voluntary,
        };
    }

    private static Money? Amount(long? dong, string field, Money max, Dictionary<string, string> problems)
    {
        if (dong is not { } value)
        {
            return null;
        }
        if (value < 0)
        {
            problems[field] = "Số tiền không được âm.";
            return null;
        }
        if (value > max.Dong)
        {
            problems[field] = $"Số tiền vượt mức tối đa {max.ToDisplayString()}.";
            return null;
        }
        return Money.Vnd(value);
    }
}

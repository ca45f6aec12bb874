using System.Globalization;
using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Time;

namespace Fees.Domain.Rules;

/// <summary>
/// Computes one member's party fee for one period under a <see cref="FeeRuleBook"/>. Pure and deterministic.
/// </summary>
/// <remarks>
/// Order of application (docs/fee-rules.md §2):
/// <list type="number">
/// <item>exemptions, first match wins: 50 years of membership (FR-08), social pension (FR-07), committee full exemption (FR-09);</item>
/// <item>the base rule of the category (FR-01…FR-06), or awaiting data when its input is missing (FR-13);</item>
/// <item>a committee reduction (FR-10), which never raises the fee;</item>
/// <item>the approved voluntary amount when it is higher (FR-11), which never lowers the fee;</item>
/// <item>rounding to whole đồng, once (FR-12).</item>
/// </list>
/// Steps 2–4 work on exact fractions; only step 5 rounds.
/// </remarks>
public static class FeeCalculator
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Quotes the fee of <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No rule set covers the period (before 2026-02, FR-17), or an amount is negative.</exception>
    public static FeeQuote Quote(FeeInput input, FeeRuleBook rules)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(rules);
        var set = rules.For(input.Period) ?? throw new ArgumentOutOfRangeException(
            nameof(input),
            input.Period,
            $"No fee rule set covers {input.Period}: the first is {rules.FirstPeriod} ({RuleIds.Coverage}).");
        RequireNonNegative(input);

        var applied = new List<string>();
        if (input.Status == MemberStatus.Probationary)
        {
            applied.Add(RuleIds.Probationary);
        }

        // 1. Exemptions.
        if (Exemption(input, set) is { } exempt)
        {
            applied.Add(exempt.RuleId);
            return new FeeQuote(FeeOutcome.Exempt, Money.Zero, exempt.RuleId, exempt.Explanation, applied);
        }

        // 2. Base rule.
        var baseAmount = BaseAmount(input, set, rules.MinimumWages, applied);
        if (baseAmount.Missing is { } missing)
        {
            applied.Add(RuleIds.AwaitingData);
            string waiting = $"Chờ dữ liệu: chưa có {missing} để tính đảng phí {input.Period.ToDisplayString()} theo {baseAmount.RuleId} — {RuleIds.AwaitingData}";
            return new FeeQuote(FeeOutcome.AwaitingData, Money.Zero, RuleIds.AwaitingData, waiting, applied);
        }
        var parts = new List<string> { baseAmount.Explanation };
        var exact = baseAmount.Amount;

        // 3. Reduction (a committee decision of 30%, 50% or 70%, in force in this period).
        if (input.Decision is { IsFullExemption: false } decision && decision.IsActiveIn(input.Period))
        {
            var reduced = exact.Reduced(decision.Reduction);
            parts.Add(string.Create(Invariant,
                $"giảm {decision.Reduction.ToDisplayString()} {DecisionText(decision)}: {exact.ToDisplayString()} × " +
                $"(100% − {decision.Reduction.ToDisplayString()}) = {reduced.ToDisplayString()} — {RuleIds.DecisionReduction}"));
            applied.Add(RuleIds.DecisionReduction);
            exact = reduced;
        }

        // 4. Voluntary higher amount.
        if (input.VoluntaryAmount is { } voluntary && exact.IsLessThan(voluntary))
        {
            parts.Add($"đảng viên tự nguyện đóng cao hơn, chi bộ đã duyệt: {voluntary.ToDisplayString()} — {RuleIds.Voluntary}");
            applied.Add(RuleIds.Voluntary);
            exact = ExactAmount.Of(voluntary);
        }

        // 5. Rounding, once.
        var amount = exact.Round(set.Rounding);
        applied.Add(RuleIds.Rounding);
        if (!exact.IsWhole)
        {
            parts.Add($"làm tròn đến đồng ({RoundingName(set.Rounding)}): {exact.ToDisplayString()} → {amount.ToDisplayString()} — {RuleIds.Rounding}");
        }
        if (input.Status == MemberStatus.Probationary)
        {
            parts.Add($"đảng viên dự bị đóng như đảng viên chính thức — {RuleIds.Probationary}");
        }
        return new FeeQuote(FeeOutcome.Charged, amount, baseAmount.RuleId, string.Join("; ", parts), applied);
    }

    /// <summary>
    /// The first period in which a member who joined on <paramref name="joinedOn"/> is exempt for party years under
    /// <paramref name="set"/> (FR-08).
    /// </summary>
    public static Period PartyYearsExemptFrom(DateOnly joinedOn, FeeRuleSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var anniversary = Period.Containing(joinedOn.AddYears(set.ExemptAfterPartyYears));
        return set.PartyYearsExemptionStart == PartyYearsExemptionStart.PeriodAfterAnniversary ? anniversary.Next : anniversary;
    }

    private static (string RuleId, string Explanation)? Exemption(FeeInput input, FeeRuleSet set)
    {
        if (input.PartyJoinedOn is { } joined && input.Period >= PartyYearsExemptFrom(joined, set))
        {
            return (RuleIds.FiftyYearsExempt, string.Create(Invariant,
                $"Miễn đóng đảng phí: đủ {set.ExemptAfterPartyYears} năm tuổi đảng (vào Đảng ngày {joined.ToString("dd/MM/yyyy", Invariant)}) — {RuleIds.FiftyYearsExempt}"));
        }
        if (input.Category == MemberCategory.SocialPension)
        {
            return (RuleIds.SocialPensionExempt, $"Miễn đóng đảng phí: hưởng trợ cấp hưu trí xã hội — {RuleIds.SocialPensionExempt}");
        }
        if (input.Decision is { IsFullExemption: true } decision && decision.IsActiveIn(input.Period))
        {
            string why = decision.IsHypothetical ? "" : $" ({ReasonText(decision.Reason)})";
            return (RuleIds.DecisionExempt, $"Miễn đóng đảng phí{why} {DecisionText(decision)} — {RuleIds.DecisionExempt}");
        }
        return null;
    }

    private readonly record struct BaseResult(string RuleId, ExactAmount Amount, string Explanation, string? Missing);

    private static BaseResult BaseAmount(FeeInput input, FeeRuleSet set, MinimumWageTable wages, List<string> applied)
    {
        switch (input.Category)
        {
            case MemberCategory.Si:
                applied.Add(RuleIds.SiSalary);
                return Percentage(RuleIds.SiSalary, set.SiSalaryRate, input.SiSalary,
                    $"lương {input.Period.Previous.ToDisplayString()} làm căn cứ đóng BHXH");
            case MemberCategory.SiBenefit:
                applied.Add(RuleIds.SiBenefit);
                return Percentage(RuleIds.SiBenefit, set.SiBenefitRate, input.SiBenefit,
                    "trợ cấp ốm đau, thai sản do BHXH chi trả");
            case MemberCategory.Pensioner:
                applied.Add(RuleIds.Pension);
                return Percentage(RuleIds.Pension, set.PensionRate, input.Pension, "lương hưu");
            case MemberCategory.Student:
                applied.Add(RuleIds.Student);
                return new BaseResult(RuleIds.Student, ExactAmount.Of(set.StudentAmount),
                    $"Mức cố định đối với học sinh, sinh viên: {set.StudentAmount.ToDisplayString()} — {RuleIds.Student}", null);
            case MemberCategory.Other:
                return Other(input, set, wages, applied);
            case MemberCategory.SocialPension:
                // Exempt before we get here; reaching this line is a bug.
                throw new InvalidOperationException("A social-pension member must have been exempted (FR-07).");
            default:
                throw new ArgumentOutOfRangeException(nameof(input), input.Category, "Unknown member category.");
        }
    }

    private static BaseResult Percentage(string ruleId, Percent rate, Money? income, string incomeName)
    {
        if (income is not { } value)
        {
            return new BaseResult(ruleId, default, "", incomeName);
        }
        var exact = ExactAmount.Of(value).Times(rate);
        return new BaseResult(ruleId, exact,
            $"{rate.ToDisplayString()} × {value.ToDisplayString()} ({incomeName}) = {exact.ToDisplayString()} — {ruleId}", null);
    }

    private static BaseResult Other(FeeInput input, FeeRuleSet set, MinimumWageTable wages, List<string> applied)
    {
        var missing = new List<string>();
        if (input.WageRegion is null)
        {
            missing.Add("vùng lương tối thiểu nơi đảng viên sinh hoạt đảng");
        }
        if (input.BirthDate is null)
        {
            missing.Add("ngày sinh");
        }
        if (input.Sex is null)
        {
            missing.Add("giới tính");
        }
        if (input.WageRegion is not { } region || input.BirthDate is not { } birthDate || input.Sex is not { } sex)
        {
            applied.Add(RuleIds.OtherBelowRetirementAge);
            return new BaseResult(RuleIds.OtherBelowRetirementAge, default, "", string.Join(", ", missing));
        }

        var retirement = RetirementAge.For(birthDate, sex);
        bool retired = input.Period >= retirement.RetiredFrom;
        string ruleId = retired ? RuleIds.OtherAtRetirementAge : RuleIds.OtherBelowRetirementAge;
        var rate = retired ? set.OtherAtRetirementRate : set.OtherBelowRetirementRate;
        var entry = wages.For(input.Period) ?? throw new InvalidOperationException(
            $"The minimum-wage table has no entry for {input.Period}; the rule book is misconfigured ({RuleIds.MinimumWage}).");
        var wage = entry.For(region);
        applied.Add(ruleId);
        applied.Add(RuleIds.RetirementAge);
        applied.Add(RuleIds.MinimumWage);

        string age = retired
            ? $"đã đến tuổi nghỉ hưu ({retirement.ToDisplayString()}, từ {retirement.RetiredFrom.ToDisplayString()})"
            : $"chưa đến tuổi nghỉ hưu ({retirement.ToDisplayString()}, từ {retirement.RetiredFrom.ToDisplayString()})";
        var exact = ExactAmount.Of(wage).Times(rate);
        string text =
            $"{rate.ToDisplayString()} × {wage.ToDisplayString()} (lương tối thiểu vùng {RegionName(region)} theo {entry.Source}; {age}) " +
            $"= {exact.ToDisplayString()} — {ruleId}";
        return new BaseResult(ruleId, exact, text, null);
    }

    private static void RequireNonNegative(FeeInput input)
    {
        foreach (var (amount, name) in new[]
        {
            (input.SiSalary, nameof(input.SiSalary)),
            (input.SiBenefit, nameof(input.SiBenefit)),
            (input.Pension, nameof(input.Pension)),
            (input.VoluntaryAmount, nameof(input.VoluntaryAmount)),
        })
        {
            if (amount is { IsNegative: true } value)
            {
                throw new ArgumentOutOfRangeException(name, value, "An income or voluntary amount cannot be negative.");
            }
        }
    }

    private static string DecisionText(FeeDecision decision) => decision.IsHypothetical
        ? "(giả định khi báo giá, chưa có quyết định)"
        : $"theo quyết định {decision.DocumentRef} của {decision.DecidedBy} (hiệu lực {Short(decision.ValidFrom)}–{Short(decision.ValidTo)})";

    private static string Short(Period period) => string.Create(Invariant, $"{period.Month}/{period.Year}");

    private static string RegionName(WageRegion region) => region switch
    {
        WageRegion.I => "I",
        WageRegion.II => "II",
        WageRegion.III => "III",
        WageRegion.IV => "IV",
        _ => throw new ArgumentOutOfRangeException(nameof(region), region, null),
    };

    private static string RoundingName(Rounding rounding) => rounding switch
    {
        Rounding.HalfUp => "từ 0,5 đồng trở lên làm tròn lên",
        Rounding.Down => "bỏ phần lẻ dưới 1 đồng",
        _ => throw new ArgumentOutOfRangeException(nameof(rounding), rounding, null),
    };

    private static string ReasonText(ReliefReason reason) => reason switch
    {
        ReliefReason.PoorHousehold => "hộ nghèo",
        ReliefReason.NearPoorHousehold => "hộ cận nghèo",
        ReliefReason.GraveIllness => "mắc bệnh hiểm nghèo",
        ReliefReason.OtherHardship => "hoàn cảnh khó khăn",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}

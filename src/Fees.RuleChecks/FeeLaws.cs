using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Rules;
using Fees.Domain.Time;

namespace Fees.RuleChecks;

/// <summary>
/// The laws every fee quote obeys, each a named object with its statement in Vietnamese and English and its check,
/// tried on generated members (<see cref="FeeArbitraries"/>). Auditors run them from the page <c>/kiem-tra</c> or
/// <c>POST /api/audit/rule-checks</c>; CI runs them from <c>tests/Fees.Domain.Tests/Rules/FeeLaws.cs</c>.
/// </summary>
public static class FeeLaws
{
    /// <summary>A fee is never negative, whatever the member's data.</summary>
    public static FeeLaw<FeeInput> FeeIsNeverNegative { get; } = new(
        "fee-never-negative",
        "Đảng phí không âm",
        "Số đảng phí phải đóng không bao giờ là số âm, dù dữ liệu của đảng viên thế nào.",
        "A fee is never negative, whatever the member's data.",
        [RuleIds.Rounding],
        FeeArbitraries.FeeInput(),
        (input, rules) => FeeCalculator.Quote(input, rules) is { Amount.IsNegative: true } q
            ? new LawBreach("số tiền không âm (từ 0 đ trở lên)", FeeText.Quote(q), q.AppliedRuleIds)
            : null,
        FeeText.Describe);

    /// <summary>
    /// For the percentage rules (FR-01 SI salary, FR-02 benefit, FR-03 pension), a higher income never gives a lower fee,
    /// everything else being equal.
    /// </summary>
    public static FeeLaw<IncomeGrowth> PercentageFeesNeverDecreaseWhenTheBaseGrows { get; } = new(
        "percentage-fee-grows-with-income",
        "Thu nhập tăng, đảng phí không giảm",
        "Với các mức đóng theo tỷ lệ phần trăm (FR-01 tiền lương làm căn cứ đóng BHXH, FR-02 trợ cấp BHXH, FR-03 lương hưu), " +
        "thu nhập cao hơn không bao giờ cho số đảng phí thấp hơn, khi mọi yếu tố khác như nhau.",
        "For the percentage rules (FR-01 SI salary, FR-02 benefit, FR-03 pension), a higher income never gives a lower fee, everything else being equal.",
        [RuleIds.SiSalary, RuleIds.SiBenefit, RuleIds.Pension],
        FeeArbitraries.IncomeGrowth(),
        (growth, rules) =>
        {
            var before = FeeCalculator.Quote(growth.Input, rules);
            var after = FeeCalculator.Quote(growth.Grown, rules);
            return after.Amount >= before.Amount
                ? null
                : new LawBreach(
                    $"khi thu nhập tăng từ {FeeText.Amount(growth.Income)} lên {FeeText.Amount(growth.Income!.Value + Money.Vnd(growth.Growth))}, " +
                    $"đảng phí không thấp hơn {before.Amount.ToDisplayString()} ({FeeText.Quote(before)})",
                    FeeText.Quote(after),
                    Union(before, after));
        },
        growth => [.. FeeText.Describe(growth.Input), new("Phần thu nhập tăng thêm", Money.Vnd(growth.Growth).ToDisplayString())]);

    /// <summary>
    /// For a member of category <c>other</c>, the switch from the below-retirement rate (FR-05) to the at-retirement rate
    /// (FR-06) happens exactly at the retirement age: the period before the first retired month is charged FR-05, the
    /// first retired month (the decree's "thời điểm hưởng lương hưu") is charged FR-06.
    /// </summary>
    public static FeeLaw<RetirementCase> TheRetirementRateSwitchesExactlyAtRetirementAge { get; } = new(
        "retirement-rate-switches-at-retirement-age",
        "Chuyển mức đóng đúng tháng nghỉ hưu",
        "Với đảng viên không tham gia BHXH bắt buộc, không hưởng lương hưu, mức đóng chuyển từ mức dưới tuổi nghỉ hưu (FR-05) " +
        "sang mức đã đến tuổi nghỉ hưu (FR-06) đúng vào tháng đầu tiên nghỉ hưu theo Nghị định 135/2020/NĐ-CP: tháng liền trước " +
        "tính theo FR-05, tháng đó tính theo FR-06, mỗi tháng bằng tỷ lệ của quy định nhân mức lương tối thiểu vùng.",
        "For a member not in SI and without a pension, the switch from the below-retirement rate (FR-05) to the at-retirement rate (FR-06) " +
        "happens exactly at the first retired month (Decree 135/2020): the month before is charged FR-05, that month FR-06, each the rule's " +
        "share of the regional minimum wage.",
        [RuleIds.OtherBelowRetirementAge, RuleIds.OtherAtRetirementAge, RuleIds.RetirementAge, RuleIds.MinimumWage],
        FeeArbitraries.RetirementCase(),
        (member, rules) =>
        {
            var retiredFrom = RetirementAge.For(member.BirthDate, member.Sex).RetiredFrom;
            FeeInput At(Period period) => new()
            {
                Period = period,
                Category = MemberCategory.Other,
                WageRegion = member.Region,
                BirthDate = member.BirthDate,
                Sex = member.Sex,
            };
            Money Expected(Period period, Func<FeeRuleSet, Percent> rate)
            {
                var set = rules.For(period)!;
                return rate(set).Of(rules.MinimumWages.For(period)!.For(member.Region), set.Rounding);
            }
            var lastMonth = retiredFrom.Previous;
            var before = FeeCalculator.Quote(At(lastMonth), rules);
            var reached = FeeCalculator.Quote(At(retiredFrom), rules);
            var expectedBefore = Expected(lastMonth, s => s.OtherBelowRetirementRate);
            var expectedReached = Expected(retiredFrom, s => s.OtherAtRetirementRate);
            bool holds = before.RuleId == RuleIds.OtherBelowRetirementAge && before.Amount == expectedBefore
                && reached.RuleId == RuleIds.OtherAtRetirementAge && reached.Amount == expectedReached;
            return holds
                ? null
                : new LawBreach(
                    $"{FeeText.Period(lastMonth)}: {expectedBefore.ToDisplayString()} ({RuleIds.OtherBelowRetirementAge}); " +
                    $"{FeeText.Period(retiredFrom)}: {expectedReached.ToDisplayString()} ({RuleIds.OtherAtRetirementAge})",
                    $"{FeeText.Period(lastMonth)}: {FeeText.Quote(before)}; {FeeText.Period(retiredFrom)}: {FeeText.Quote(reached)}",
                    Union(before, reached));
        },
        member =>
        [
            new("Đối tượng", MemberCategory.Other.ToVietnamese()),
            new("Ngày sinh", FeeText.Date(member.BirthDate)),
            new("Giới tính", FeeText.SexText(member.Sex)),
            new("Vùng lương tối thiểu nơi sinh hoạt đảng", FeeText.Region(member.Region)),
            new("Tháng đầu tiên nghỉ hưu (Nghị định 135/2020/NĐ-CP)", FeeText.Period(RetirementAge.For(member.BirthDate, member.Sex).RetiredFrom)),
        ]);

    /// <summary>No member who meets an exemption (social pension, 50 years in the party, committee exemption in force) is charged anything.</summary>
    public static FeeLaw<ExemptMember> NoExemptMemberIsCharged { get; } = new(
        "exempt-members-pay-nothing",
        "Đảng viên được miễn không phải đóng",
        "Đảng viên thuộc diện miễn đóng đảng phí (hưởng trợ cấp hưu trí xã hội, đủ 50 năm tuổi đảng, có quyết định miễn của cấp ủy " +
        "còn hiệu lực) không phải đóng đồng nào.",
        "No member who meets an exemption (social pension, 50 years in the party, committee exemption in force) is charged anything.",
        [RuleIds.SocialPensionExempt, RuleIds.FiftyYearsExempt, RuleIds.DecisionExempt],
        FeeArbitraries.ExemptMember(),
        (member, rules) =>
        {
            var quote = FeeCalculator.Quote(member.Input, rules);
            return quote.Outcome == FeeOutcome.Exempt && quote.Amount == Money.Zero
                ? null
                : new LawBreach($"miễn đóng, 0 đ ({Exemption(member.Input)})", FeeText.Quote(quote), quote.AppliedRuleIds);
        },
        member => FeeText.Describe(member.Input));

    /// <summary>A committee reduction (or exemption) in force never raises a member's fee.</summary>
    public static FeeLaw<ReductionCase> AReductionNeverRaisesAFee { get; } = new(
        "reduction-never-raises-fee",
        "Quyết định giảm không làm tăng đảng phí",
        "Quyết định giảm (hoặc miễn) đảng phí của cấp ủy còn hiệu lực không bao giờ làm số đảng phí của đảng viên tăng lên.",
        "A committee reduction (or exemption) in force never raises a member's fee.",
        [RuleIds.DecisionReduction, RuleIds.DecisionExempt],
        FeeArbitraries.ReductionCase(),
        (reduction, rules) =>
        {
            var without = FeeCalculator.Quote(reduction.Input, rules);
            var with = FeeCalculator.Quote(reduction.Input with { Decision = reduction.Decision }, rules);
            return with.Amount <= without.Amount
                ? null
                : new LawBreach($"không cao hơn khi chưa có quyết định: {FeeText.Quote(without)}", FeeText.Quote(with), Union(without, with));
        },
        reduction => [.. FeeText.Describe(reduction.Input), new("Quyết định được xét", FeeText.Decision(reduction.Decision))]);

    /// <summary>An approved voluntary amount never lowers a member's fee; when charged, the fee is at least the voluntary amount.</summary>
    public static FeeLaw<VoluntaryCase> AVoluntaryAmountNeverLowersAFee { get; } = new(
        "voluntary-amount-never-lowers-fee",
        "Mức tự nguyện không làm giảm đảng phí",
        "Mức đảng viên tự nguyện đóng cao hơn, đã được duyệt, không bao giờ làm số đảng phí giảm đi; khi phải đóng, số tiền ít nhất " +
        "bằng mức tự nguyện.",
        "An approved voluntary amount never lowers a member's fee; when charged, the fee is at least the voluntary amount.",
        [RuleIds.Voluntary],
        FeeArbitraries.VoluntaryCase(),
        (voluntary, rules) =>
        {
            var without = FeeCalculator.Quote(voluntary.Input, rules);
            var with = FeeCalculator.Quote(voluntary.Input with { VoluntaryAmount = voluntary.Voluntary }, rules);
            bool holds = with.Amount >= without.Amount && (with.Outcome != FeeOutcome.Charged || with.Amount >= voluntary.Voluntary);
            return holds
                ? null
                : new LawBreach(
                    $"không thấp hơn khi chưa có mức tự nguyện ({FeeText.Quote(without)}), và nếu phải đóng thì ít nhất {voluntary.Voluntary.ToDisplayString()}",
                    FeeText.Quote(with),
                    Union(without, with));
        },
        voluntary => [.. FeeText.Describe(voluntary.Input), new("Mức tự nguyện được xét", voluntary.Voluntary.ToDisplayString())]);

    /// <summary>The same input always gives the same quote: amount, rule, explanation and applied rules.</summary>
    public static FeeLaw<FeeInput> TheQuoteIsDeterministic { get; } = new(
        "quote-is-deterministic",
        "Cùng dữ liệu, cùng kết quả",
        "Cùng một dữ liệu luôn cho cùng một kết quả: số tiền, quy định quyết định, lời diễn giải và các quy định đã áp dụng.",
        "The same input always gives the same quote: amount, rule, explanation and applied rules.",
        [],
        FeeArbitraries.FeeInput(),
        (input, rules) =>
        {
            var first = FeeCalculator.Quote(input, rules);
            var second = FeeCalculator.Quote(input with { }, rules);
            bool same = first.Outcome == second.Outcome && first.Amount == second.Amount && first.RuleId == second.RuleId
                && first.Explanation == second.Explanation && first.AppliedRuleIds.SequenceEqual(second.AppliedRuleIds);
            return same
                ? null
                : new LawBreach($"lần tính thứ hai giống lần đầu: {FeeText.Quote(first)} — {first.Explanation}",
                    $"{FeeText.Quote(second)} — {second.Explanation}", Union(first, second));
        },
        FeeText.Describe);

    /// <summary>
    /// A charged fee differs from the exact amount (computed independently in <see cref="decimal"/>: base × rate ×
    /// (1 − reduction), or the voluntary amount when higher) by at most half a đồng, so always by less than 1 đ.
    /// </summary>
    public static FeeLaw<FeeInput> RoundingErrorIsBelowOneDong { get; } = new(
        "rounding-error-below-one-dong",
        "Sai số làm tròn dưới 1 đồng",
        "Số đảng phí phải đóng chênh lệch với số tiền chính xác (tính độc lập: căn cứ × tỷ lệ × (1 − mức giảm), hoặc mức tự nguyện " +
        "nếu cao hơn) không quá nửa đồng, tức luôn dưới 1 đồng.",
        "A charged fee differs from the exact amount (computed independently: base × rate × (1 − reduction), or the voluntary amount " +
        "when higher) by at most half a đồng, so always by less than 1 đ.",
        [RuleIds.Rounding],
        FeeArbitraries.FeeInput(),
        (input, rules) =>
        {
            var quote = FeeCalculator.Quote(input, rules);
            if (quote.Outcome != FeeOutcome.Charged)
            {
                return null;
            }
            decimal exact = ExactOracle(input, rules);
            decimal error = Math.Abs(quote.Amount.Dong - exact);
            return error <= 0.5m
                ? null
                : new LawBreach($"số tiền chính xác {FeeText.Exact(exact)}, chênh lệch không quá 0,5 đ",
                    $"{FeeText.Quote(quote)}, chênh lệch {FeeText.Exact(error)}", quote.AppliedRuleIds);
        },
        FeeText.Describe);

    /// <summary>Every law, in the order the page and the API list them.</summary>
    public static IReadOnlyList<FeeLaw> All { get; } =
    [
        FeeIsNeverNegative,
        PercentageFeesNeverDecreaseWhenTheBaseGrows,
        TheRetirementRateSwitchesExactlyAtRetirementAge,
        NoExemptMemberIsCharged,
        AReductionNeverRaisesAFee,
        AVoluntaryAmountNeverLowersAFee,
        TheQuoteIsDeterministic,
        RoundingErrorIsBelowOneDong,
    ];

    /// <summary>The exact amount of a charged quote, from the rule book's rates, in <see cref="decimal"/> (no rounding).</summary>
    private static decimal ExactOracle(FeeInput input, FeeRuleBook rules)
    {
        var set = rules.For(input.Period)!;
        static decimal Rate(Percent p) => p.BasisPoints / 10_000m;
        decimal exact = input.Category switch
        {
            MemberCategory.Si => input.SiSalary!.Value.Dong * Rate(set.SiSalaryRate),
            MemberCategory.SiBenefit => input.SiBenefit!.Value.Dong * Rate(set.SiBenefitRate),
            MemberCategory.Pensioner => input.Pension!.Value.Dong * Rate(set.PensionRate),
            MemberCategory.Student => set.StudentAmount.Dong,
            MemberCategory.Other => rules.MinimumWages.For(input.Period)!.For(input.WageRegion!.Value).Dong
                * Rate(RetirementAge.ReachedBy(input.BirthDate!.Value, input.Sex!.Value, input.Period)
                    ? set.OtherAtRetirementRate
                    : set.OtherBelowRetirementRate),
            _ => throw new InvalidOperationException("Not a charged category."),
        };
        if (input.Decision is { } decision && decision.IsActiveIn(input.Period))
        {
            exact *= (100 - decision.ReductionPercent) / 100m;
        }
        if (input.VoluntaryAmount is { } voluntary && voluntary.Dong > exact)
        {
            exact = voluntary.Dong;
        }
        return exact;
    }

    /// <summary>Which exemption of the regulation the member meets, in Vietnamese with its rule id.</summary>
    private static string Exemption(FeeInput input)
    {
        if (input.Category == MemberCategory.SocialPension)
        {
            return $"hưởng trợ cấp hưu trí xã hội, {RuleIds.SocialPensionExempt}";
        }
        if (input.PartyJoinedOn is { } joined && Period.Containing(joined.AddYears(FeeArbitraries.ExemptingPartyYears)) <= input.Period)
        {
            return $"đủ {FeeArbitraries.ExemptingPartyYears} năm tuổi đảng, {RuleIds.FiftyYearsExempt}";
        }
        return $"có quyết định miễn còn hiệu lực, {RuleIds.DecisionExempt}";
    }

    private static IReadOnlyList<string> Union(FeeQuote a, FeeQuote b) => [.. a.AppliedRuleIds.Union(b.AppliedRuleIds, StringComparer.Ordinal)];
}

using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Rules;
using Fees.Domain.Time;
using FsCheck.Xunit;

namespace Fees.Domain.Tests.Rules;

/// <summary>
/// The laws every quote obeys, checked on generated members (<see cref="FeeArbitraries"/>). One law per test; the
/// summary of each states it in plain words.
/// </summary>
public class FeeLaws
{
    private static FeeQuote Quote(FeeInput input) => FeeCalculator.Quote(input, FeeRuleBook.Default);

    /// <summary>A fee is never negative, whatever the member's data.</summary>
    [Property(Arbitrary = [typeof(FeeArbitraries)], MaxTest = 500)]
    public void FeeIsNeverNegative(FeeInput input)
    {
        Assert.False(Quote(input).Amount.IsNegative);
    }

    /// <summary>
    /// For the percentage rules (FR-01 SI salary, FR-02 benefit, FR-03 pension), a higher income never gives a lower fee,
    /// everything else being equal.
    /// </summary>
    [Property(Arbitrary = [typeof(FeeArbitraries)], MaxTest = 500)]
    public void PercentageFeesNeverDecreaseWhenTheBaseGrows(IncomeGrowth growth)
    {
        Assert.True(Quote(growth.Grown).Amount >= Quote(growth.Input).Amount);
    }

    /// <summary>
    /// For a member of category <c>other</c>, the switch from the below-retirement rate (FR-05) to the at-retirement rate
    /// (FR-06) happens exactly at the retirement age: the period before the first retired month is charged FR-05, the
    /// first retired month (the decree's "thời điểm hưởng lương hưu") is charged FR-06.
    /// </summary>
    [Property(Arbitrary = [typeof(FeeArbitraries)], MaxTest = 300)]
    public void TheRetirementRateSwitchesExactlyAtRetirementAge(RetirementCase member)
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

        var before = Quote(At(retiredFrom.Previous));
        var reached = Quote(At(retiredFrom));

        Assert.Equal(RuleIds.OtherBelowRetirementAge, before.RuleId);
        Assert.Equal(RuleIds.OtherAtRetirementAge, reached.RuleId);
        var rules = FeeRuleBook.Default;
        var wageBefore = rules.MinimumWages.For(retiredFrom.Previous)!.For(member.Region);
        var wageReached = rules.MinimumWages.For(retiredFrom)!.For(member.Region);
        Assert.Equal(rules.For(retiredFrom.Previous)!.OtherBelowRetirementRate.Of(wageBefore, Rounding.HalfUp), before.Amount);
        Assert.Equal(rules.For(retiredFrom)!.OtherAtRetirementRate.Of(wageReached, Rounding.HalfUp), reached.Amount);
    }

    /// <summary>No member who meets an exemption (social pension, 50 years in the party, committee exemption in force) is charged anything.</summary>
    [Property(Arbitrary = [typeof(FeeArbitraries)], MaxTest = 500)]
    public void NoExemptMemberIsCharged(ExemptMember member)
    {
        var quote = Quote(member.Input);

        Assert.Equal(FeeOutcome.Exempt, quote.Outcome);
        Assert.Equal(Money.Zero, quote.Amount);
    }

    /// <summary>A committee reduction (or exemption) in force never raises a member's fee.</summary>
    [Property(Arbitrary = [typeof(FeeArbitraries)], MaxTest = 500)]
    public void AReductionNeverRaisesAFee(ReductionCase reduction)
    {
        var without = Quote(reduction.Input);
        var with = Quote(reduction.Input with { Decision = reduction.Decision });

        Assert.True(with.Amount <= without.Amount);
    }

    /// <summary>An approved voluntary amount never lowers a member's fee; when charged, the fee is at least the voluntary amount.</summary>
    [Property(Arbitrary = [typeof(FeeArbitraries)], MaxTest = 500)]
    public void AVoluntaryAmountNeverLowersAFee(VoluntaryCase voluntary)
    {
        var without = Quote(voluntary.Input);
        var with = Quote(voluntary.Input with { VoluntaryAmount = voluntary.Voluntary });

        Assert.True(with.Amount >= without.Amount);
        if (with.Outcome == FeeOutcome.Charged)
        {
            Assert.True(with.Amount >= voluntary.Voluntary);
        }
    }

    /// <summary>The same input always gives the same quote: amount, rule, explanation and applied rules.</summary>
    [Property(Arbitrary = [typeof(FeeArbitraries)], MaxTest = 300)]
    public void TheQuoteIsDeterministic(FeeInput input)
    {
        var first = Quote(input);
        var second = Quote(input with { });

        Assert.Equal(first.Outcome, second.Outcome);
        Assert.Equal(first.Amount, second.Amount);
        Assert.Equal(first.RuleId, second.RuleId);
        Assert.Equal(first.Explanation, second.Explanation);
        Assert.Equal(first.AppliedRuleIds, second.AppliedRuleIds);
    }

    /// <summary>
    /// A charged fee differs from the exact amount (computed here independently in <see cref="decimal"/>: base × rate ×
    /// (1 − reduction), or the voluntary amount when higher) by at most half a đồng, so always by less than 1 đ.
    /// </summary>
    [Property(Arbitrary = [typeof(FeeArbitraries)], MaxTest = 500)]
    public void RoundingErrorIsBelowOneDong(FeeInput input)
    {
        var quote = Quote(input);
        if (quote.Outcome != FeeOutcome.Charged)
        {
            return;
        }

        decimal exact = ExactOracle(input);

        Assert.True(Math.Abs(quote.Amount.Dong - exact) <= 0.5m, $"{quote.Amount} vs exact {exact}");
    }

    private static decimal ExactOracle(FeeInput input)
    {
        var set = FeeRuleBook.Default.For(input.Period)!;
        static decimal Rate(Percent p) => p.BasisPoints / 10_000m;
        decimal exact = input.Category switch
        {
            MemberCategory.Si => input.SiSalary!.Value.Dong * Rate(set.SiSalaryRate),
            MemberCategory.SiBenefit => input.SiBenefit!.Value.Dong * Rate(set.SiBenefitRate),
            MemberCategory.Pensioner => input.Pension!.Value.Dong * Rate(set.PensionRate),
            MemberCategory.Student => set.StudentAmount.Dong,
            MemberCategory.Other => FeeRuleBook.Default.MinimumWages.For(input.Period)!.For(input.WageRegion!.Value).Dong
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
}

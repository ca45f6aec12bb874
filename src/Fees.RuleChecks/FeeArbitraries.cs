using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Rules;
using Fees.Domain.Time;
using FsCheck;
using FsCheck.Fluent;

namespace Fees.RuleChecks;

/// <summary>
/// The generators of the fee laws (<see cref="FeeLaws"/>), in one place so an auditor can see what is tried: every
/// category, periods 2026-02..2036-12 (both rule sets), incomes from 0 to 100 million đồng (small ones too, to exercise
/// rounding), missing data, all wage regions, birth dates 1940–2008, party join dates 1950–2025, committee decisions
/// active or not, and voluntary amounts.
/// </summary>
/// <remarks>
/// Each arbitrary also shrinks: a failing case is simplified (optional data dropped, amounts and periods moved towards
/// zero and 2026-02) for as long as it still fails and still is a case of its kind, so the counterexample an auditor
/// reads is the smallest FsCheck found. Usable as <c>[Property(Arbitrary = [typeof(FeeArbitraries)])]</c>.
/// </remarks>
public static class FeeArbitraries
{
    /// <summary>The first period generated: the first of 01-QĐ/TW.</summary>
    public static Period FirstPeriod { get; } = Period.Of(2026, 2);

    /// <summary>The last period generated (both rule sets and ten years of minimum wages ahead).</summary>
    public static Period LastPeriod { get; } = FirstPeriod.AddMonths(130);

    /// <summary>The years of membership that exempt a member (01-QĐ/TW Điều 5): the regulation's number, not the rule set's.</summary>
    public const int ExemptingPartyYears = 50;

    private static Gen<Period> Periods { get; } = Gen.Choose(0, LastPeriod.MonthsSince(FirstPeriod)).Select(i => FirstPeriod.AddMonths(i));

    private static Gen<Money> Incomes { get; } =
        Gen.Frequency((1, Gen.Choose(0, 2_000)), (4, Gen.Choose(0, 100_000_000))).Select(d => Money.Vnd(d));

    private static Gen<Money?> OptionalIncomes { get; } =
        Gen.Frequency((1, Gen.Constant<Money?>(null)), (4, Incomes.Select(m => (Money?)m)));

    private static Gen<DateOnly> Dates(int fromYear, int toYear) =>
        Gen.Choose(0, ((toYear - fromYear + 1) * 365) - 1).Select(d => new DateOnly(fromYear, 1, 1).AddDays(d));

    private static Gen<T?> Optional<T>(Gen<T> gen)
        where T : struct =>
        Gen.Frequency((1, Gen.Constant<T?>(null)), (4, gen.Select(v => (T?)v)));

    private static Gen<FeeDecision> Decisions(Period around) =>
        from startOffset in Gen.Choose(-14, 2)
        from length in Gen.Choose(1, FeeDecision.MaxMonths)
        from percent in Gen.Elements(30, 50, 70, 100)
        from reason in percent == 100 ? Gen.Elements(Enum.GetValues<ReliefReason>()) : Gen.Constant(ReliefReason.OtherHardship)
        select FeeDecision.Create(reason, percent, "Chi bộ A", "01-QĐ/CB", around.AddMonths(startOffset), around.AddMonths(startOffset + length - 1));

    private static Gen<FeeDecision> ActiveDecisions(Period period) =>
        from back in Gen.Choose(0, FeeDecision.MaxMonths - 1)
        from percent in Gen.Elements(30, 50, 70, 100)
        select FeeDecision.Create(ReliefReason.OtherHardship, percent, "Chi bộ A", "02-QĐ/CB", period.AddMonths(-back), period.AddMonths(-back + FeeDecision.MaxMonths - 1));

    private static Gen<FeeInput> Inputs { get; } =
        from period in Periods
        from category in Gen.Elements(Enum.GetValues<MemberCategory>())
        from status in Gen.Elements(Enum.GetValues<MemberStatus>())
        from siSalary in OptionalIncomes
        from siBenefit in OptionalIncomes
        from pension in OptionalIncomes
        from region in Optional(Gen.Elements(Enum.GetValues<WageRegion>()))
        from birthDate in Optional(Dates(1940, 2008))
        from sex in Optional(Gen.Elements(Enum.GetValues<Sex>()))
        from joined in Gen.Frequency((1, Gen.Constant<DateOnly?>(null)), (3, Dates(1950, 2025).Select(d => (DateOnly?)d)))
        from decision in Gen.Frequency((3, Gen.Constant<FeeDecision?>(null)), (1, Decisions(period).Select(d => (FeeDecision?)d)))
        from voluntary in Gen.Frequency((4, Gen.Constant<Money?>(null)), (1, Gen.Choose(0, 300_000).Select(d => (Money?)Money.Vnd(d))))
        select new FeeInput
        {
            Period = period,
            Category = category,
            Status = status,
            SiSalary = siSalary,
            SiBenefit = siBenefit,
            Pension = pension,
            WageRegion = region,
            BirthDate = birthDate,
            Sex = sex,
            PartyJoinedOn = joined,
            Decision = decision,
            VoluntaryAmount = voluntary,
        };

    /// <summary>Any member, any period, any data (complete or not).</summary>
    public static Arbitrary<FeeInput> FeeInput() => Arb.From(Inputs, Shrink);

    /// <summary>A member of a percentage category with that income set, and a growth of it.</summary>
    public static Arbitrary<IncomeGrowth> IncomeGrowth() =>
        Arb.From(
            from input in Inputs
            from category in Gen.Elements(MemberCategory.Si, MemberCategory.SiBenefit, MemberCategory.Pensioner)
            from income in Incomes
            from growth in Gen.Frequency((1, Gen.Choose(0, 100)), (2, Gen.Choose(0, 50_000_000)))
            select new IncomeGrowth(input with { Category = category, SiSalary = income, SiBenefit = income, Pension = income }, growth),
            g => Shrink(g.Input).Select(i => g with { Input = i })
                .Concat(Smaller(g.Growth).Select(d => g with { Growth = d }))
                .Where(c => c.Income is not null));

    /// <summary>A member of category <c>other</c> who reaches retirement age between 2026-03 and 2040-12.</summary>
    public static Arbitrary<RetirementCase> RetirementCase() =>
        Arb.From(
            (from birth in Dates(1963, 1980)
             from sex in Gen.Elements(Enum.GetValues<Sex>())
             from region in Gen.Elements(Enum.GetValues<WageRegion>())
             select new RetirementCase(birth, sex, region))
            .Where(InRetirementWindow),
            c => c.Region == WageRegion.I ? [] : new[] { c with { Region = WageRegion.I } });

    /// <summary>A member who meets an exemption of the regulation: social pension, 50 years in the party, or a committee exemption in force.</summary>
    public static Arbitrary<ExemptMember> ExemptMember() =>
        Arb.From(
            from input in Inputs
            from how in Gen.Choose(0, 2)
            from yearsBeyond in Gen.Choose(0, 3_650)
            from decision in ActiveDecisions(input.Period).Select(d => FeeDecision.Create(ReliefReason.GraveIllness, 100, d.DecidedBy, d.DocumentRef, d.ValidFrom, d.ValidTo))
            select new ExemptMember(how switch
            {
                0 => input with { Category = MemberCategory.SocialPension },
                1 => input with { PartyJoinedOn = input.Period.LastDay.AddYears(-ExemptingPartyYears).AddDays(-yearsBeyond) },
                _ => input with { Decision = decision },
            }),
            e => Shrink(e.Input).Where(MeetsAnExemption).Select(i => new ExemptMember(i)));

    /// <summary>A member without a decision, and a committee reduction or exemption in force in the member's period.</summary>
    public static Arbitrary<ReductionCase> ReductionCase() =>
        Arb.From(
            from input in Inputs
            from decision in ActiveDecisions(input.Period)
            select new ReductionCase(input with { Decision = null }, decision),
            r => Shrink(r.Input).Where(i => r.Decision.IsActiveIn(i.Period)).Select(i => r with { Input = i }));

    /// <summary>A member without a voluntary amount, and an approved voluntary amount of 0 to 1,000,000 đ.</summary>
    public static Arbitrary<VoluntaryCase> VoluntaryCase() =>
        Arb.From(
            from input in Inputs
            from voluntary in Gen.Choose(0, 1_000_000)
            select new VoluntaryCase(input with { VoluntaryAmount = null }, Money.Vnd(voluntary)),
            v => Shrink(v.Input).Select(i => v with { Input = i })
                .Concat(Smaller(v.Voluntary.Dong).Select(d => v with { Voluntary = Money.Vnd(d) })));

    /// <summary>
    /// Whether the regulation exempts the member in the input's period (01-QĐ/TW Điều 5), stated without the calculator:
    /// on the social pension, or 50 years in the party reached by the end of the period, or a committee exemption in force.
    /// </summary>
    public static bool MeetsAnExemption(FeeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Category == MemberCategory.SocialPension
            || (input.PartyJoinedOn is { } joined && Period.Containing(joined.AddYears(ExemptingPartyYears)) <= input.Period)
            || (input.Decision is { IsFullExemption: true } decision && decision.IsActiveIn(input.Period));
    }

    private static bool InRetirementWindow(RetirementCase c) =>
        RetirementAge.For(c.BirthDate, c.Sex).RetiredFrom is var p && p >= Period.Of(2026, 3) && p <= Period.Of(2040, 12);

    /// <summary>
    /// Simpler inputs than <paramref name="input"/>, simplest first: a decision, a voluntary amount, the join date and
    /// probation dropped; each income dropped, then made smaller; region, birth date and sex dropped; the period moved
    /// towards 2026-02; a voluntary amount made smaller. Each step makes the input strictly simpler, so shrinking ends.
    /// </summary>
    private static IEnumerable<FeeInput> Shrink(FeeInput input)
    {
        if (input.Decision is not null)
        {
            yield return input with { Decision = null };
        }
        if (input.VoluntaryAmount is not null)
        {
            yield return input with { VoluntaryAmount = null };
        }
        if (input.PartyJoinedOn is not null)
        {
            yield return input with { PartyJoinedOn = null };
        }
        if (input.Status != MemberStatus.Official)
        {
            yield return input with { Status = MemberStatus.Official };
        }
        if (input.SiSalary is { } salary)
        {
            yield return input with { SiSalary = null };
            foreach (long d in Smaller(salary.Dong))
            {
                yield return input with { SiSalary = Money.Vnd(d) };
            }
        }
        if (input.SiBenefit is { } benefit)
        {
            yield return input with { SiBenefit = null };
            foreach (long d in Smaller(benefit.Dong))
            {
                yield return input with { SiBenefit = Money.Vnd(d) };
            }
        }
        if (input.Pension is { } pension)
        {
            yield return input with { Pension = null };
            foreach (long d in Smaller(pension.Dong))
            {
                yield return input with { Pension = Money.Vnd(d) };
            }
        }
        if (input.WageRegion is not null)
        {
            yield return input with { WageRegion = null };
        }
        if (input.BirthDate is not null)
        {
            yield return input with { BirthDate = null };
        }
        if (input.Sex is not null)
        {
            yield return input with { Sex = null };
        }
        foreach (long months in Smaller(input.Period.MonthsSince(FirstPeriod)))
        {
            yield return input with { Period = FirstPeriod.AddMonths(checked((int)months)) };
        }
        if (input.VoluntaryAmount is { } voluntary)
        {
            foreach (long d in Smaller(voluntary.Dong))
            {
                yield return input with { VoluntaryAmount = Money.Vnd(d) };
            }
        }
    }

    /// <summary>Smaller non-negative values than <paramref name="value"/>: 0, then ever closer to it (v − v/2, v − v/4 … v − 1).</summary>
    private static IEnumerable<long> Smaller(long value)
    {
        if (value <= 0)
        {
            yield break;
        }
        yield return 0;
        for (long step = value / 2; step > 0; step /= 2)
        {
            yield return value - step;
        }
    }
}

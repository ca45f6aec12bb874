using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Rules;
using Fees.Domain.Time;
using FsCheck.Fluent;
using FsCheck;

namespace Fees.Domain.Tests.Rules;

/// <summary>A percentage-category member (FR-01, FR-02, FR-03) whose income then grows by <see cref="Growth"/> đồng.</summary>
public sealed record IncomeGrowth(FeeInput Input, long Growth)
{
    public FeeInput Grown => Input.Category switch
    {
        MemberCategory.Si => Input with { SiSalary = Input.SiSalary!.Value + Money.Vnd(Growth) },
        MemberCategory.SiBenefit => Input with { SiBenefit = Input.SiBenefit!.Value + Money.Vnd(Growth) },
        MemberCategory.Pensioner => Input with { Pension = Input.Pension!.Value + Money.Vnd(Growth) },
        _ => throw new InvalidOperationException("Not a percentage category."),
    };
}

/// <summary>An <c>other</c> member whose retirement month falls inside the rule book (2026-03..2040-12).</summary>
public sealed record RetirementCase(DateOnly BirthDate, Sex Sex, WageRegion Region);

/// <summary>A member who meets one exemption (FR-07, FR-08 or FR-09) in the input's period.</summary>
public sealed record ExemptMember(FeeInput Input);

/// <summary>A member and a committee reduction or exemption (FR-09, FR-10) in force in the input's period.</summary>
public sealed record ReductionCase(FeeInput Input, FeeDecision Decision);

/// <summary>A member and an approved voluntary amount (FR-11).</summary>
public sealed record VoluntaryCase(FeeInput Input, Money Voluntary);

/// <summary>
/// The generators of the fee laws (<see cref="FeeLaws"/>), in one place so an auditor can see what is tried: every
/// category, periods 2026-02..2036-12 (both rule sets), incomes from 0 to 100 million đồng (small ones too, to exercise
/// rounding), missing data, all wage regions, birth dates 1940–2008, party join dates 1950–2025, committee decisions
/// active or not, and voluntary amounts.
/// </summary>
public static class FeeArbitraries
{
    private static Gen<Period> Periods { get; } = Gen.Choose(0, 130).Select(i => Period.Of(2026, 2).AddMonths(i));

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

    public static Arbitrary<FeeInput> FeeInput() => Inputs.ToArbitrary();

    public static Arbitrary<IncomeGrowth> IncomeGrowth() =>
        (from input in Inputs
         from category in Gen.Elements(MemberCategory.Si, MemberCategory.SiBenefit, MemberCategory.Pensioner)
         from income in Incomes
         from growth in Gen.Frequency((1, Gen.Choose(0, 100)), (2, Gen.Choose(0, 50_000_000)))
         select new IncomeGrowth(
             input with { Category = category, SiSalary = income, SiBenefit = income, Pension = income },
             growth)).ToArbitrary();

    public static Arbitrary<RetirementCase> RetirementCase() =>
        (from birth in Dates(1963, 1980)
         from sex in Gen.Elements(Enum.GetValues<Sex>())
         from region in Gen.Elements(Enum.GetValues<WageRegion>())
         select new RetirementCase(birth, sex, region))
        .Where(c => RetirementAge.For(c.BirthDate, c.Sex).RetiredFrom is var p && p >= Period.Of(2026, 3) && p <= Period.Of(2040, 12))
        .ToArbitrary();

    public static Arbitrary<ExemptMember> ExemptMember() =>
        (from input in Inputs
         from how in Gen.Choose(0, 2)
         from yearsBeyond in Gen.Choose(0, 3_650)
         from decision in ActiveDecisions(input.Period).Select(d => FeeDecision.Create(ReliefReason.GraveIllness, 100, d.DecidedBy, d.DocumentRef, d.ValidFrom, d.ValidTo))
         select new ExemptMember(how switch
         {
             0 => input with { Category = MemberCategory.SocialPension },
             1 => input with { PartyJoinedOn = input.Period.LastDay.AddYears(-50).AddDays(-yearsBeyond) },
             _ => input with { Decision = decision },
         })).ToArbitrary();

    public static Arbitrary<ReductionCase> ReductionCase() =>
        (from input in Inputs
         from decision in ActiveDecisions(input.Period)
         select new ReductionCase(input with { Decision = null }, decision)).ToArbitrary();

    public static Arbitrary<VoluntaryCase> VoluntaryCase() =>
        (from input in Inputs
         from voluntary in Gen.Choose(0, 1_000_000)
         select new VoluntaryCase(input with { VoluntaryAmount = null }, Money.Vnd(voluntary))).ToArbitrary();
}

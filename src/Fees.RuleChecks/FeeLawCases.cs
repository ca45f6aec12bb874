using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Rules;

namespace Fees.RuleChecks;

/// <summary>A percentage-category member (FR-01, FR-02, FR-03) whose income then grows by <see cref="Growth"/> đồng.</summary>
public sealed record IncomeGrowth(FeeInput Input, long Growth)
{
    /// <summary>The income the member's category is charged on (SI salary, benefit or pension).</summary>
    public Money? Income => Input.Category switch
    {
        MemberCategory.Si => Input.SiSalary,
        MemberCategory.SiBenefit => Input.SiBenefit,
        MemberCategory.Pensioner => Input.Pension,
        _ => null,
    };

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

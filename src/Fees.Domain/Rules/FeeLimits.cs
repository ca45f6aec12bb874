using Fees.Domain.Amounts;

namespace Fees.Domain.Rules;

/// <summary>
/// The largest amounts the service accepts as inputs, so that a typo (or a hostile value) never becomes a statement
/// nobody can pay: far above any real figure, far below what arithmetic on <c>long</c> đồng could overflow.
/// </summary>
public static class FeeLimits
{
    /// <summary>
    /// A month's SI salary, SI benefit or pension: at most 1,000,000,000 đ (one billion). The SI salary itself is capped
    /// by law at 20 × the base salary (46,800,000 đ in 2025), so a larger figure is an error in the data.
    /// </summary>
    public static Money MaxMonthlyIncome { get; } = Money.Vnd(1_000_000_000);

    /// <summary>A voluntary monthly amount (FR-11): at most 100,000,000 đ.</summary>
    public static Money MaxVoluntaryAmount { get; } = Money.Vnd(100_000_000);
}

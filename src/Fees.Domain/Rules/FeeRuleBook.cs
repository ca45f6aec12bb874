using Fees.Domain.Time;

namespace Fees.Domain.Rules;

/// <summary>
/// Everything the calculator needs besides the member's own data: the effective-dated <see cref="FeeRuleSet"/>s and the
/// <see cref="MinimumWageTable"/>. Immutable; build one at start-up (usually <see cref="Default"/>) and share it.
/// </summary>
public sealed class FeeRuleBook
{
    private readonly FeeRuleSet[] ruleSets;

    public FeeRuleBook(IEnumerable<FeeRuleSet> ruleSets, MinimumWageTable minimumWages)
    {
        ArgumentNullException.ThrowIfNull(minimumWages);
        this.ruleSets = [.. ruleSets.OrderBy(r => r.ValidFrom)];
        if (this.ruleSets.Length == 0)
        {
            throw new ArgumentException("A rule book needs at least one rule set.", nameof(ruleSets));
        }
        for (int i = 1; i < this.ruleSets.Length; i++)
        {
            if (this.ruleSets[i].ValidFrom == this.ruleSets[i - 1].ValidFrom)
            {
                throw new ArgumentException($"Two rule sets start in {this.ruleSets[i].ValidFrom}.", nameof(ruleSets));
            }
        }
        MinimumWages = minimumWages;
    }

    /// <summary>01-QĐ/TW (2026-02 and 2028-01 steps) with the Vietnamese minimum-wage table.</summary>
    public static FeeRuleBook Default { get; } =
        new([FeeRuleSet.Qd01From2026, FeeRuleSet.Qd01From2028], MinimumWageTable.Vietnam);

    public IReadOnlyList<FeeRuleSet> RuleSets => ruleSets;

    public MinimumWageTable MinimumWages { get; }

    /// <summary>The first period any rule set covers (2026-02 for <see cref="Default"/>). Rule <see cref="RuleIds.Coverage"/>.</summary>
    public Period FirstPeriod => ruleSets[0].ValidFrom;

    /// <summary>Whether a rule set covers <paramref name="period"/>.</summary>
    public bool Covers(Period period) => period >= FirstPeriod;

    /// <summary>The rule set in force in <paramref name="period"/>, or null before the first one.</summary>
    public FeeRuleSet? For(Period period) => ruleSets.LastOrDefault(r => r.ValidFrom <= period);
}

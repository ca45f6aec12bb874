using Fees.Domain.Amounts;
using Fees.Domain.Organizations;
using Fees.Domain.Time;

namespace Fees.Domain.Rules;

/// <summary>
/// One decree's regional minimum wages (lương tối thiểu tháng theo vùng), in force from <see cref="EffectiveFrom"/>
/// until the next entry of the table starts. Rule <see cref="RuleIds.MinimumWage"/>.
/// </summary>
public sealed record MinimumWageEntry
{
    public MinimumWageEntry(DateOnly effectiveFrom, string source, long regionI, long regionII, long regionIII, long regionIV)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        EffectiveFrom = effectiveFrom;
        Source = source;
        amounts = new Dictionary<WageRegion, Money>
        {
            [WageRegion.I] = Money.NonNegative(regionI, nameof(regionI)),
            [WageRegion.II] = Money.NonNegative(regionII, nameof(regionII)),
            [WageRegion.III] = Money.NonNegative(regionIII, nameof(regionIII)),
            [WageRegion.IV] = Money.NonNegative(regionIV, nameof(regionIV)),
        };
    }

    private readonly Dictionary<WageRegion, Money> amounts;

    /// <summary>First day (Vietnam date) on which these wages apply.</summary>
    public DateOnly EffectiveFrom { get; }

    /// <summary>The decree, e.g. <c>Nghị định 293/2025/NĐ-CP</c>.</summary>
    public string Source { get; }

    /// <summary>The monthly minimum wage of <paramref name="region"/>.</summary>
    public Money For(WageRegion region) =>
        amounts.TryGetValue(region, out var amount)
            ? amount
            : throw new ArgumentOutOfRangeException(nameof(region), region, "Not a wage region (I–IV).");
}

/// <summary>
/// Effective-dated regional minimum wages: data, not code paths. A new decree is a new <see cref="MinimumWageEntry"/>.
/// The wage that applies to a dues period is the one in force on the first day of the period.
/// </summary>
public sealed class MinimumWageTable
{
    private readonly MinimumWageEntry[] entries;

    public MinimumWageTable(IEnumerable<MinimumWageEntry> entries)
    {
        this.entries = [.. entries.OrderBy(e => e.EffectiveFrom)];
        for (int i = 1; i < this.entries.Length; i++)
        {
            if (this.entries[i].EffectiveFrom == this.entries[i - 1].EffectiveFrom)
            {
                throw new ArgumentException(
                    $"Two minimum-wage entries start on {this.entries[i].EffectiveFrom:yyyy-MM-dd}.", nameof(entries));
            }
        }
    }

    public IReadOnlyList<MinimumWageEntry> Entries => entries;

    /// <summary>
    /// The table as known in 2026: Nghị định 74/2024/NĐ-CP (from 2024-07-01) and Nghị định 293/2025/NĐ-CP (from 2026-01-01).
    /// </summary>
    public static MinimumWageTable Vietnam { get; } = new(
    [
        new MinimumWageEntry(new DateOnly(2024, 7, 1), "Nghị định 74/2024/NĐ-CP", 4_960_000, 4_410_000, 3_860_000, 3_450_000),
        new MinimumWageEntry(new DateOnly(2026, 1, 1), "Nghị định 293/2025/NĐ-CP", 5_310_000, 4_730_000, 4_140_000, 3_700_000),
    ]);

    /// <summary>The entry in force on <paramref name="date"/>, if any.</summary>
    public MinimumWageEntry? InForceOn(DateOnly date) => entries.LastOrDefault(e => e.EffectiveFrom <= date);

    /// <summary>The entry that applies to a dues period (the one in force on its first day), if any.</summary>
    public MinimumWageEntry? For(Period period) => InForceOn(period.FirstDay);
}

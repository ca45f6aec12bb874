using Fees.Domain.Amounts;
using Fees.Domain.Organizations;
using Fees.Domain.Rules;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Rules;

public class MinimumWageTableTests
{
    [Theory]
    [InlineData(WageRegion.I, 5_310_000)]
    [InlineData(WageRegion.II, 4_730_000)]
    [InlineData(WageRegion.III, 4_140_000)]
    [InlineData(WageRegion.IV, 3_700_000)]
    public void FR16_From2026_Decree293(WageRegion region, long dong)
    {
        var entry = MinimumWageTable.Vietnam.For(Period.Of(2026, 1));

        Assert.NotNull(entry);
        Assert.Equal("Nghị định 293/2025/NĐ-CP", entry.Source);
        Assert.Equal(Money.Vnd(dong), entry.For(region));
    }

    [Fact]
    public void FR16_In2025_Decree74StillApplies()
    {
        var entry = MinimumWageTable.Vietnam.For(Period.Of(2025, 12));

        Assert.NotNull(entry);
        Assert.Equal(Money.Vnd(4_960_000), entry.For(WageRegion.I));
    }

    [Fact]
    public void FR16_BeforeTheFirstEntry_ThereIsNone()
    {
        Assert.Null(MinimumWageTable.Vietnam.For(Period.Of(2024, 6)));
    }

    [Fact]
    public void FR16_TwoEntriesOnTheSameDay_AreRefused()
    {
        var day = new DateOnly(2026, 1, 1);

        Assert.Throws<ArgumentException>(() => new MinimumWageTable(
        [
            new MinimumWageEntry(day, "A", 1, 1, 1, 1),
            new MinimumWageEntry(day, "B", 2, 2, 2, 2),
        ]));
    }
}

namespace Fees.Domain.Tests.Rules;

using Fees.Domain.Money;
using Fees.Domain.Rules;

/// <summary>The quote endpoint's body, as the lead binds it from JSON.</summary>
public class FeeQuoteRequestTests
{
    [Fact]
    public void ValidRequest_QuotesLikeTheWorkedExample()
    {
        var request = new FeeQuoteRequest { Period = "2026-08", Category = "other", WageRegion = 3, BirthDate = new DateOnly(1960, 3, 1), Sex = "F", ReductionPercent = 50 };

        Assert.True(request.TryToInput(FeeRuleBook.Default, out var input, out var errors));
        Assert.Empty(errors);
        var quote = FeeCalculator.Quote(input, FeeRuleBook.Default);
        Assert.Equal(Money.Vnd(4_140), quote.Amount);
        Assert.Equal("FR-06", quote.RuleId);
        Assert.Contains("giảm 50% (giả định khi báo giá, chưa có quyết định): 8.280 đ × (100% − 50%) = 4.140 đ — FR-10", quote.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ReductionPercent100_IsAFullExemption()
    {
        var request = new FeeQuoteRequest { Period = "2026-08", Category = "si", SiSalary = 5_475_600, ReductionPercent = 100 };

        Assert.True(request.TryToInput(FeeRuleBook.Default, out var input, out _));
        var quote = FeeCalculator.Quote(input, FeeRuleBook.Default);
        Assert.Equal("FR-09", quote.RuleId);
        Assert.Equal("Miễn đóng đảng phí (giả định khi báo giá, chưa có quyết định) — FR-09", quote.Explanation);
    }

    [Fact]
    public void EveryBadField_IsNamed()
    {
        var request = new FeeQuoteRequest { Period = "2026-13", Category = "farmer", SiSalary = -1, WageRegion = 5, Sex = "X", ReductionPercent = 40, VoluntaryAmount = -5 };

        Assert.False(request.TryToInput(FeeRuleBook.Default, out _, out var errors));
        Assert.Equal(
            ["category", "period", "reductionPercent", "sex", "siSalary", "voluntaryAmount", "wageRegion"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FR17_PeriodBeforeTheRegulation_IsRefusedAsAFieldError()
    {
        var request = new FeeQuoteRequest { Period = "2026-01", Category = "student" };

        Assert.False(request.TryToInput(FeeRuleBook.Default, out _, out var errors));
        Assert.Contains("FR-17", errors["period"], StringComparison.Ordinal);
    }
}

using Fees.Domain.Amounts;
using Fees.Domain.Rules;

namespace Fees.Domain.Tests.Rules;

/// <summary>The quote endpoint's body, as the lead binds it from JSON.</summary>
public class FeeQuoteRequestTests
{
    [Fact]
    public void ValidRequest_QuotesLikeTheWorkedExample()
    {
        var request = new FeeQuoteRequest { Period = "2026-08", Category = "other", WageRegion = 3, BirthDate = new DateOnly(1960, 3, 1), Sex = "F", ReductionPercent = 50 };

        var input = request.ToInput(FeeRuleBook.Default).Value;
        var quote = FeeCalculator.Quote(input, FeeRuleBook.Default);
        Assert.Equal(Money.Vnd(4_140), quote.Amount);
        Assert.Equal("FR-06", quote.RuleId);
        Assert.Contains("giảm 50% (giả định khi báo giá, chưa có quyết định): 8.280 đ × (100% − 50%) = 4.140 đ — FR-10", quote.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void ReductionPercent100_IsAFullExemption()
    {
        var request = new FeeQuoteRequest { Period = "2026-08", Category = "si", SiSalary = 5_475_600, ReductionPercent = 100 };

        var input = request.ToInput(FeeRuleBook.Default).Value;
        var quote = FeeCalculator.Quote(input, FeeRuleBook.Default);
        Assert.Equal("FR-09", quote.RuleId);
        Assert.Equal("Miễn đóng đảng phí (giả định khi báo giá, chưa có quyết định) — FR-09", quote.Explanation);
    }

    [Fact]
    public void EveryBadField_IsNamed()
    {
        var request = new FeeQuoteRequest { Period = "2026-13", Category = "farmer", SiSalary = -1, WageRegion = 5, Sex = "X", ReductionPercent = 40, VoluntaryAmount = -5 };

        var errors = request.ToInput(FeeRuleBook.Default).Refusal!.Errors!;
        Assert.Equal(
            ["category", "period", "reductionPercent", "sex", "siSalary", "voluntaryAmount", "wageRegion"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void FR17_PeriodBeforeTheRegulation_IsRefusedAsAFieldError()
    {
        var request = new FeeQuoteRequest { Period = "2026-01", Category = "student" };

        var errors = request.ToInput(FeeRuleBook.Default).Refusal!.Errors!;
        Assert.Contains("FR-17", errors["period"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("siSalary")]
    [InlineData("pension")]
    [InlineData("voluntaryAmount")]
    public void AnAmountBeyondItsCeiling_IsAFieldError(string field)
    {
        var request = field switch
        {
            "siSalary" => new FeeQuoteRequest { Period = "2026-08", Category = "si", SiSalary = long.MaxValue },
            "pension" => new FeeQuoteRequest { Period = "2026-08", Category = "pensioner", Pension = FeeLimits.MaxMonthlyIncome.Dong + 1 },
            _ => new FeeQuoteRequest { Period = "2026-08", Category = "other", VoluntaryAmount = FeeLimits.MaxVoluntaryAmount.Dong + 1 },
        };

        var errors = request.ToInput(FeeRuleBook.Default).Refusal!.Errors!;
        Assert.Equal([field], errors.Keys);
    }
}

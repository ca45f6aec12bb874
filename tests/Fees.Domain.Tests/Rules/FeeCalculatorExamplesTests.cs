using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Rules;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Rules;

/// <summary>The worked examples of docs/fee-rules.md, one per rule, with the explanation the member sees.</summary>
public class FeeCalculatorExamplesTests
{
    private static readonly Period August2026 = Period.Of(2026, 8);

    private static FeeQuote Quote(FeeInput input) => FeeCalculator.Quote(input, FeeRuleBook.Default);

    private static FeeInput Si(long salary, Period? period = null) => new()
    {
        Period = period ?? August2026,
        Category = MemberCategory.Si,
        SiSalary = Money.Vnd(salary),
    };

    private static FeeInput Other(WageRegion region, DateOnly birthDate, Sex sex, Period? period = null) => new()
    {
        Period = period ?? August2026,
        Category = MemberCategory.Other,
        WageRegion = region,
        BirthDate = birthDate,
        Sex = sex,
    };

    [Fact]
    public void FR01_Si_OnePercentOfLastMonthsSalary()
    {
        var quote = Quote(Si(5_475_600));

        Assert.Equal(FeeOutcome.Charged, quote.Outcome);
        Assert.Equal(Money.Vnd(54_756), quote.Amount);
        Assert.Equal("FR-01", quote.RuleId);
        Assert.Equal("1% × 5.475.600 đ (lương tháng 7/2026 làm căn cứ đóng BHXH) = 54.756 đ — FR-01", quote.Explanation);
        Assert.Equal(["FR-01", "FR-12"], quote.AppliedRuleIds);
    }

    [Fact]
    public void FR01_Si_OnePercentOfSalaryWithPositionAllowance()
    {
        Assert.Equal(Money.Vnd(123_552), Quote(Si(12_355_200)).Amount);
    }

    [Fact]
    public void FR01_Si_NamesTheMonthBeforeThePeriod_AcrossTheYearEnd()
    {
        var quote = Quote(Si(5_475_600, Period.Of(2027, 1)));

        Assert.Contains("lương tháng 12/2026 làm căn cứ đóng BHXH", quote.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void FR02_SiBenefit_OnePercentOfTheBenefit()
    {
        var quote = Quote(new FeeInput { Period = August2026, Category = MemberCategory.SiBenefit, SiBenefit = Money.Vnd(4_000_000) });

        Assert.Equal(Money.Vnd(40_000), quote.Amount);
        Assert.Equal("FR-02", quote.RuleId);
        Assert.Equal("1% × 4.000.000 đ (trợ cấp ốm đau, thai sản do BHXH chi trả) = 40.000 đ — FR-02", quote.Explanation);
    }

    [Fact]
    public void FR03_Pensioner_HalfAPercentOfThePension()
    {
        var quote = Quote(new FeeInput { Period = August2026, Category = MemberCategory.Pensioner, Pension = Money.Vnd(6_000_000) });

        Assert.Equal(Money.Vnd(30_000), quote.Amount);
        Assert.Equal("FR-03", quote.RuleId);
        Assert.Equal("0,5% × 6.000.000 đ (lương hưu) = 30.000 đ — FR-03", quote.Explanation);
    }

    [Fact]
    public void FR04_Student_PaysFiveThousand()
    {
        var quote = Quote(new FeeInput { Period = August2026, Category = MemberCategory.Student });

        Assert.Equal(Money.Vnd(5_000), quote.Amount);
        Assert.Equal("FR-04", quote.RuleId);
        Assert.Equal("Mức cố định đối với học sinh, sinh viên: 5.000 đ — FR-04", quote.Explanation);
    }

    [Fact]
    public void FR05_Other_RegionI_BelowRetirementAge_PaysPointThreePercentOfMinimumWage()
    {
        var quote = Quote(Other(WageRegion.I, new DateOnly(1985, 3, 10), Sex.Male));

        Assert.Equal(Money.Vnd(15_930), quote.Amount);
        Assert.Equal("FR-05", quote.RuleId);
        Assert.StartsWith("0,3% × 5.310.000 đ (lương tối thiểu vùng I theo Nghị định 293/2025/NĐ-CP; chưa đến tuổi nghỉ hưu", quote.Explanation, StringComparison.Ordinal);
        Assert.EndsWith("= 15.930 đ — FR-05", quote.Explanation, StringComparison.Ordinal);
        Assert.Equal(["FR-05", "FR-15", "FR-16", "FR-12"], quote.AppliedRuleIds);
    }

    [Fact]
    public void FR05_Other_RegionIV_BelowRetirementAge()
    {
        Assert.Equal(Money.Vnd(11_100), Quote(Other(WageRegion.IV, new DateOnly(1990, 1, 1), Sex.Female)).Amount);
    }

    [Fact]
    public void FR06_Other_RegionIII_AtRetirementAge_PaysPointTwoPercent()
    {
        var quote = Quote(Other(WageRegion.III, new DateOnly(1960, 3, 1), Sex.Female));

        Assert.Equal(Money.Vnd(8_280), quote.Amount);
        Assert.Equal("FR-06", quote.RuleId);
        Assert.Contains("đã đến tuổi nghỉ hưu (55 tuổi, từ tháng 4/2015)", quote.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void FR10_Reduction_HalvesTheAtRetirementAgeFee()
    {
        var decision = FeeDecision.Create(ReliefReason.OtherHardship, 50, "Chi bộ Thôn Đông", "05-QĐ/CB", Period.Of(2026, 8), Period.Of(2027, 7));
        var quote = Quote(Other(WageRegion.III, new DateOnly(1960, 3, 1), Sex.Female) with { Decision = decision });

        Assert.Equal(Money.Vnd(4_140), quote.Amount);
        Assert.Equal("FR-06", quote.RuleId);
        Assert.Contains("giảm 50% theo quyết định 05-QĐ/CB của Chi bộ Thôn Đông (hiệu lực 8/2026–7/2027): 8.280 đ × (100% − 50%) = 4.140 đ — FR-10", quote.Explanation, StringComparison.Ordinal);
        Assert.Contains("FR-10", quote.AppliedRuleIds);
    }

    [Fact]
    public void FR05_From2028_RegionI_BelowRetirementAge_PaysHalfAPercent()
    {
        var quote = Quote(Other(WageRegion.I, new DateOnly(1985, 3, 10), Sex.Male, Period.Of(2028, 1)));

        Assert.Equal(Money.Vnd(26_550), quote.Amount);
        Assert.StartsWith("0,5% × 5.310.000 đ", quote.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void FR06_From2028_AtRetirementAge_PaysPointThreePercent()
    {
        Assert.Equal(Money.Vnd(12_420), Quote(Other(WageRegion.III, new DateOnly(1950, 1, 1), Sex.Male, Period.Of(2028, 1))).Amount);
    }

    [Fact]
    public void FR08_FiftyYearsOfMembership_IsExempt_NamingTheRuleAndTheDate()
    {
        var quote = Quote(Si(5_475_600) with { PartyJoinedOn = new DateOnly(1976, 8, 15) });

        Assert.Equal(FeeOutcome.Exempt, quote.Outcome);
        Assert.Equal(Money.Zero, quote.Amount);
        Assert.Equal("FR-08", quote.RuleId);
        Assert.Equal("Miễn đóng đảng phí: đủ 50 năm tuổi đảng (vào Đảng ngày 15/08/1976) — FR-08", quote.Explanation);
    }

    [Fact]
    public void FR08_TheMonthBeforeTheFiftiethAnniversary_IsStillCharged()
    {
        var quote = Quote(Si(5_475_600, Period.Of(2026, 7)) with { PartyJoinedOn = new DateOnly(1976, 8, 15) });

        Assert.Equal(FeeOutcome.Charged, quote.Outcome);
    }

    [Fact]
    public void FR08_StartCanBeConfiguredToThePeriodAfterTheAnniversary()
    {
        var book = new FeeRuleBook(
            [FeeRuleSet.Qd01From2026 with { PartyYearsExemptionStart = PartyYearsExemptionStart.PeriodAfterAnniversary }],
            MinimumWageTable.Vietnam);
        var input = Si(5_475_600) with { PartyJoinedOn = new DateOnly(1976, 8, 15) };

        Assert.Equal(FeeOutcome.Charged, FeeCalculator.Quote(input, book).Outcome);
        Assert.Equal(FeeOutcome.Exempt, FeeCalculator.Quote(input with { Period = Period.Of(2026, 9) }, book).Outcome);
    }

    [Fact]
    public void FR07_SocialPension_IsExempt()
    {
        var quote = Quote(new FeeInput { Period = August2026, Category = MemberCategory.SocialPension });

        Assert.Equal(FeeOutcome.Exempt, quote.Outcome);
        Assert.Equal(Money.Zero, quote.Amount);
        Assert.Equal("FR-07", quote.RuleId);
        Assert.Equal("Miễn đóng đảng phí: hưởng trợ cấp hưu trí xã hội — FR-07", quote.Explanation);
    }

    [Fact]
    public void FR09_CommitteeFullExemption_IsExemptWhileActive()
    {
        var decision = FeeDecision.Create(ReliefReason.PoorHousehold, 100, "Chi bộ Thôn Đông", "07-QĐ/CB", Period.Of(2026, 8), Period.Of(2026, 12));

        var quote = Quote(Si(5_475_600) with { Decision = decision });

        Assert.Equal(FeeOutcome.Exempt, quote.Outcome);
        Assert.Equal("FR-09", quote.RuleId);
        Assert.Equal("Miễn đóng đảng phí (hộ nghèo) theo quyết định 07-QĐ/CB của Chi bộ Thôn Đông (hiệu lực 8/2026–12/2026) — FR-09", quote.Explanation);
    }

    [Fact]
    public void FR09_ExpiredDecision_StopsApplyingByItself()
    {
        var decision = FeeDecision.Create(ReliefReason.PoorHousehold, 100, "Chi bộ Thôn Đông", "07-QĐ/CB", Period.Of(2026, 8), Period.Of(2026, 12));

        var quote = Quote(Si(5_475_600, Period.Of(2027, 1)) with { Decision = decision });

        Assert.Equal(FeeOutcome.Charged, quote.Outcome);
        Assert.Equal(Money.Vnd(54_756), quote.Amount);
        Assert.DoesNotContain("FR-09", quote.AppliedRuleIds);
    }

    [Fact]
    public void FR10_ReductionNotYetInForce_DoesNotApply()
    {
        var decision = FeeDecision.Create(ReliefReason.OtherHardship, 70, "Chi bộ Thôn Đông", "08-QĐ/CB", Period.Of(2026, 9), Period.Of(2026, 10));

        Assert.Equal(Money.Vnd(54_756), Quote(Si(5_475_600) with { Decision = decision }).Amount);
    }

    [Fact]
    public void FR11_VoluntaryHigherAmount_Replaces_TheComputedFee()
    {
        var quote = Quote(Si(5_475_600) with { VoluntaryAmount = Money.Vnd(100_000) });

        Assert.Equal(Money.Vnd(100_000), quote.Amount);
        Assert.Equal("FR-01", quote.RuleId);
        Assert.EndsWith("; đảng viên tự nguyện đóng cao hơn, chi bộ đã duyệt: 100.000 đ — FR-11", quote.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void FR11_VoluntaryLowerAmount_IsIgnored()
    {
        var quote = Quote(Si(5_475_600) with { VoluntaryAmount = Money.Vnd(20_000) });

        Assert.Equal(Money.Vnd(54_756), quote.Amount);
        Assert.DoesNotContain("FR-11", quote.AppliedRuleIds);
    }

    [Fact]
    public void FR12_Rounding_HalfUpByDefault_ShowsTheExactAmount()
    {
        var quote = Quote(Si(5_475_650));

        Assert.Equal(Money.Vnd(54_757), quote.Amount);
        Assert.Equal(
            "1% × 5.475.650 đ (lương tháng 7/2026 làm căn cứ đóng BHXH) = 54.756,5 đ — FR-01; " +
            "làm tròn đến đồng (từ 0,5 đồng trở lên làm tròn lên): 54.756,5 đ → 54.757 đ — FR-12",
            quote.Explanation);
    }

    [Fact]
    public void FR12_Rounding_IsConfigurableInTheRuleSet()
    {
        var book = new FeeRuleBook([FeeRuleSet.Qd01From2026 with { Rounding = Rounding.Down }], MinimumWageTable.Vietnam);

        Assert.Equal(Money.Vnd(54_756), FeeCalculator.Quote(Si(5_475_650), book).Amount);
    }

    [Fact]
    public void FR12_Rounding_HappensOnceAfterTheReduction()
    {
        // 1% × 1.234.567 = 12.345,67; × 30% = 3.703,701 → 3.704 (rounding first would give 12.346 × 30% = 3.703,8 → 3.704 too,
        // so use an amount where the two differ: 1% × 1.500.050 = 15.000,5; × 50% = 7.500,25 → 7.500, not 15.001 × 50% = 7.500,5 → 7.501).
        var decision = FeeDecision.Create(ReliefReason.OtherHardship, 50, "Chi bộ A", "01-QĐ/CB", August2026, August2026);

        Assert.Equal(Money.Vnd(7_500), Quote(Si(1_500_050) with { Decision = decision }).Amount);
    }

    [Fact]
    public void FR13_SiWithoutIncome_IsAwaitingData_NotZero()
    {
        var quote = Quote(new FeeInput { Period = August2026, Category = MemberCategory.Si });

        Assert.Equal(FeeOutcome.AwaitingData, quote.Outcome);
        Assert.Equal("awaiting_data", quote.OutcomeCode);
        Assert.Equal("FR-13", quote.RuleId);
        Assert.Equal("Chờ dữ liệu: chưa có lương tháng 7/2026 làm căn cứ đóng BHXH để tính đảng phí tháng 8/2026 theo FR-01 — FR-13", quote.Explanation);
    }

    [Theory]
    [InlineData(MemberCategory.SiBenefit)]
    [InlineData(MemberCategory.Pensioner)]
    [InlineData(MemberCategory.Other)]
    public void FR13_CategoriesWithoutTheirData_AreAwaitingData(MemberCategory category)
    {
        var quote = Quote(new FeeInput { Period = August2026, Category = category });

        Assert.Equal(FeeOutcome.AwaitingData, quote.Outcome);
        Assert.Equal(Money.Zero, quote.Amount);
    }

    [Fact]
    public void FR13_ExemptionComesBeforeMissingData()
    {
        var quote = Quote(new FeeInput { Period = August2026, Category = MemberCategory.Si, PartyJoinedOn = new DateOnly(1970, 1, 1) });

        Assert.Equal(FeeOutcome.Exempt, quote.Outcome);
    }

    [Fact]
    public void FR14_ProbationaryMember_PaysLikeAnOfficialOne()
    {
        var official = Quote(Si(5_475_600));
        var probationary = Quote(Si(5_475_600) with { Status = MemberStatus.Probationary });

        Assert.Equal(official.Amount, probationary.Amount);
        Assert.Contains("FR-14", probationary.AppliedRuleIds);
    }

    [Fact]
    public void FR17_PeriodBeforeTheRegulation_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Quote(Si(5_475_600, Period.Of(2026, 1))));
    }

    [Fact]
    public void FR17_FirstCoveredPeriod_IsFebruary2026()
    {
        Assert.Equal(Period.Of(2026, 2), FeeRuleBook.Default.FirstPeriod);
        Assert.Equal(Money.Vnd(54_756), Quote(Si(5_475_600, Period.Of(2026, 2))).Amount);
    }

    [Fact]
    public void NegativeIncome_IsABug_AndThrows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Quote(Si(-1)));
    }
}

using Fees.Domain.Members;
using Fees.Domain.Rules;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Rules;

/// <summary>
/// FR-15 against the rows of the appendix of Nghị định 135/2020/NĐ-CP (birth month → age → first month of pension)
/// and the earlier law before the schedule.
/// </summary>
public class RetirementAgeTests
{
    [Theory]
    // Men: 60y3m in 2021, +3 months a year, 62 from 2028.
    [InlineData(1960, 12, "M", 60, 0, 2021, 1)]   // before the schedule: 60 (Bộ luật Lao động 2012)
    [InlineData(1961, 1, "M", 60, 3, 2021, 5)]    // first row of the appendix
    [InlineData(1961, 9, "M", 60, 3, 2022, 1)]
    [InlineData(1961, 10, "M", 60, 6, 2022, 5)]
    [InlineData(1962, 7, "M", 60, 9, 2023, 5)]
    [InlineData(1963, 4, "M", 61, 0, 2024, 5)]
    [InlineData(1964, 10, "M", 61, 6, 2026, 5)]
    [InlineData(1966, 3, "M", 61, 9, 2028, 1)]
    [InlineData(1966, 4, "M", 62, 0, 2028, 5)]    // last row: 62 from here on
    [InlineData(1980, 1, "M", 62, 0, 2042, 2)]    // after the schedule
    // Women: 55y4m in 2021, +4 months a year, 60 from 2035.
    [InlineData(1965, 12, "F", 55, 0, 2021, 1)]   // before the schedule: 55
    [InlineData(1966, 1, "F", 55, 4, 2021, 6)]    // first row of the appendix
    [InlineData(1966, 8, "F", 55, 4, 2022, 1)]
    [InlineData(1966, 9, "F", 55, 8, 2022, 6)]
    [InlineData(1967, 5, "F", 56, 0, 2023, 6)]
    [InlineData(1969, 5, "F", 57, 0, 2026, 6)]
    [InlineData(1975, 4, "F", 59, 8, 2035, 1)]
    [InlineData(1975, 5, "F", 60, 0, 2035, 6)]    // last row: 60 from here on
    [InlineData(1990, 3, "F", 60, 0, 2050, 4)]    // after the schedule
    public void FR15_RetirementAge_MatchesTheDecreeAppendix(
        int birthYear, int birthMonth, string sexCode, int years, int months, int retiredYear, int retiredMonth)
    {
        Assert.True(MemberCodes.TryParseSex(sexCode, out var sex));

        var age = RetirementAge.For(new DateOnly(birthYear, birthMonth, 17), sex);

        Assert.Equal((years, months), (age.Years, age.Months));
        Assert.Equal(Period.Of(retiredYear, retiredMonth), age.RetiredFrom);
    }

    [Fact]
    public void FR15_TheMonthTheAgeIsReached_IsNotYetRetired_TheNextMonthIs()
    {
        var born = new DateOnly(1961, 1, 31);

        Assert.Equal(Period.Of(2021, 4), RetirementAge.For(born, Sex.Male).ReachedIn);
        Assert.False(RetirementAge.ReachedBy(born, Sex.Male, Period.Of(2021, 4)));
        Assert.True(RetirementAge.ReachedBy(born, Sex.Male, Period.Of(2021, 5)));
    }

    [Fact]
    public void FR15_DayOfBirthWithinTheMonth_DoesNotMatter()
    {
        Assert.Equal(
            RetirementAge.For(new DateOnly(1964, 10, 1), Sex.Male),
            RetirementAge.For(new DateOnly(1964, 10, 31), Sex.Male));
    }

    [Fact]
    public void FR15_DisplaysInVietnamese()
    {
        Assert.Equal("60 tuổi 3 tháng", RetirementAge.For(new DateOnly(1961, 1, 1), Sex.Male).ToDisplayString());
        Assert.Equal("62 tuổi", RetirementAge.For(new DateOnly(1970, 1, 1), Sex.Male).ToDisplayString());
    }
}

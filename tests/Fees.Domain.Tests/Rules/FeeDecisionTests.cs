using Fees.Domain.Rules;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Rules;

public class FeeDecisionTests
{
    private static readonly Period From = Period.Of(2026, 8);

    private static string Refusal(ReliefReason reason, int percent, Period to, string decidedBy = "Chi bộ A", string doc = "01-QĐ/CB") =>
        FeeDecision.Decide(reason, percent, decidedBy, doc, From, to, null).Refusal!.Code;

    [Fact]
    public void FR10_TwelveMonths_IsAccepted()
    {
        var decision = FeeDecision.Decide(ReliefReason.OtherHardship, 30, "Chi bộ A", "01-QĐ/CB", From, Period.Of(2027, 7), "ốm dài ngày").Value;
        Assert.Equal(12, decision.Months);
        Assert.True(decision.IsActiveIn(Period.Of(2027, 7)));
        Assert.False(decision.IsActiveIn(Period.Of(2027, 8)));
        Assert.False(decision.IsActiveIn(Period.Of(2026, 7)));
    }

    [Fact]
    public void FR10_ThirteenMonths_IsRefused()
    {
        Assert.Equal("longer_than_twelve_months", Refusal(ReliefReason.OtherHardship, 50, Period.Of(2027, 8)));
    }

    [Theory]
    [InlineData(ReliefReason.OtherHardship, 20)]
    [InlineData(ReliefReason.OtherHardship, 0)]
    [InlineData(ReliefReason.PoorHousehold, 50)]
    [InlineData(ReliefReason.NearPoorHousehold, 70)]
    [InlineData(ReliefReason.GraveIllness, 30)]
    public void FR09_FR10_OnlyTheRegulationsPercentsAreAccepted(ReliefReason reason, int percent)
    {
        Assert.Equal("percent_not_allowed", Refusal(reason, percent, From));
    }

    [Fact]
    public void FR10_EndingBeforeItStarts_IsRefused()
    {
        Assert.Equal("ends_before_it_starts", Refusal(ReliefReason.OtherHardship, 50, Period.Of(2026, 7)));
    }

    [Fact]
    public void FR10_WithoutDeciderOrDocument_IsRefused()
    {
        Assert.Equal("missing_decider", Refusal(ReliefReason.OtherHardship, 50, From, decidedBy: " "));
        Assert.Equal("missing_document", Refusal(ReliefReason.OtherHardship, 50, From, doc: ""));
    }

    [Fact]
    public void Create_ThrowsOnARefusal()
    {
        Assert.Throws<ArgumentException>(() => FeeDecision.Create(ReliefReason.OtherHardship, 50, "Chi bộ A", "01", From, Period.Of(2028, 1)));
    }
}

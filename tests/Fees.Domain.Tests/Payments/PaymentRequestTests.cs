using Fees.Domain.Amounts;
using Fees.Domain.Payments;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Payments;

/// <summary>A payment request is reused while it fits, replaced otherwise, and stays payable whatever replaced it.</summary>
public class PaymentRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 5, 3, 0, 0, TimeSpan.Zero);
    private static readonly Period[] AugustSeptember = [Period.Of(2026, 8), Period.Of(2026, 9)];

    private static PaymentRequest Open() =>
        PaymentRequest.Open(1, 7, 11, Money.Vnd(109_512), [Period.Of(2026, 9), Period.Of(2026, 8)], "DP2345678X", "DP2345678X DANG PHI T8-9",
            "970436", "0071000962707", "CHI BO 1", "000201…", "dangvien", Now);

    [Fact]
    public void Open_SortsItsPeriods_AndFitsTheSameRequestAgain()
    {
        var r = Open();
        Assert.Equal(AugustSeptember, r.Periods);
        Assert.True(r.Fits(11, Money.Vnd(109_512), AugustSeptember, "970436", "0071000962707", Now.AddDays(1)));
        Assert.False(r.Fits(11, Money.Vnd(109_513), AugustSeptember, "970436", "0071000962707", Now));
        Assert.False(r.Fits(11, Money.Vnd(109_512), AugustSeptember, "970436", "0071000962707", Now + PaymentRequest.Lifetime));
    }

    [Fact]
    public void Replace_SupersedesWhileCurrent_AndExpiresAfterItsLifetime()
    {
        var current = Open();
        current.Replace(Now.AddDays(1));
        Assert.Equal(PaymentRequestStatus.Superseded, current.Status);
        var old = Open();
        old.Replace(Now + PaymentRequest.Lifetime);
        Assert.Equal(PaymentRequestStatus.Expired, old.Status);
        Assert.Throws<InvalidOperationException>(() => old.Replace(Now + PaymentRequest.Lifetime));
    }

    [Fact]
    public void Settle_PaysARequestWhateverReplacedIt_ButOnlyOnce()
    {
        var r = Open();
        r.Replace(Now.AddDays(1));
        r.Settle(Now.AddDays(2));
        Assert.Equal(PaymentRequestStatus.Paid, r.Status);
        Assert.Throws<InvalidOperationException>(() => r.Settle(Now.AddDays(3)));
    }

    [Fact]
    public void Open_RefusesNothingToPay()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PaymentRequest.Open(1, 7, 11, Money.Zero, AugustSeptember, "DP2345678X", "DP2345678X", "970436", "1", "X", "p", "u", Now));
        Assert.Throws<ArgumentException>(() => PaymentRequest.Open(1, 7, 11, Money.Vnd(1), [], "DP2345678X", "DP2345678X", "970436", "1", "X", "p", "u", Now));
    }
}

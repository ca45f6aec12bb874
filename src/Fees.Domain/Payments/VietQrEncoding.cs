using Fees.Domain.Amounts;

namespace Fees.Domain.Payments;

/// <summary>
/// Builds VietQR payload strings (NAPAS over EMVCo). The codec lives in <c>Fees.BankGateway</c>; the domain and the
/// stores only need this much of it, so they depend on the abstraction.
/// </summary>
public interface IVietQrEncoder
{
    /// <summary>A single-use code for <paramref name="amount"/> into the account, with <paramref name="purpose"/> in tag 62.08.</summary>
    string Dynamic(string bankBin, string accountNumber, Money amount, string purpose);

    /// <summary>A reusable code (no amount) into the account, with <paramref name="purpose"/> in tag 62.08.</summary>
    string Static(string bankBin, string accountNumber, string purpose);
}

/// <summary>Limits of a transfer through NAPAS 247.</summary>
public static class PaymentLimits
{
    /// <summary>One NAPAS 247 transfer must be below 500 million đồng (2021 terms §8.1.1).</summary>
    public static Money Napas247Ceiling { get; } = Money.Vnd(500_000_000);
}

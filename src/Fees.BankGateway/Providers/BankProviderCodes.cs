namespace Fees.BankGateway.Providers;

/// <summary>
/// The provider codes: the last segment of <c>POST /api/bank/notifications/{provider}</c>, the key under
/// <c>Bank:Providers</c> in configuration, and <see cref="BankTransaction.Provider"/>. Lower-case ASCII; compare ordinally.
/// </summary>
public static class BankProviderCodes
{
    /// <summary>Our own signed format, for banks and test clients that post to us directly.</summary>
    public const string Generic = "generic";

    /// <summary>SePay (sepay.vn), a bank-feed aggregator.</summary>
    public const string SePay = "sepay";

    /// <summary>Casso (casso.vn), a bank-feed aggregator.</summary>
    public const string Casso = "casso";
}

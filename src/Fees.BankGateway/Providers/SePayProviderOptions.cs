using Fees.BankGateway.History;

namespace Fees.BankGateway.Providers;

/// <summary>Configuration of SePay, <c>Bank:Providers:sepay</c>. With neither key set, the webhook is disabled.</summary>
public sealed class SePayProviderOptions
{
    /// <summary>
    /// <c>Bank:Providers:sepay:ApiKey</c> (contract key <c>Bank__Providers__sepay__ApiKey</c>): the key SePay sends as
    /// <c>Authorization: Apikey &lt;key&gt;</c>. Default none: blank disables that scheme.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// <c>Bank:Providers:sepay:HmacSecret</c>, optional: the HMAC-SHA256 key (UTF-8 bytes) for <c>X-SePay-Signature</c>.
    /// Default none: blank disables that scheme.
    /// </summary>
    public string? HmacSecret { get; set; }

    /// <summary><c>Bank:Providers:sepay:History</c>: the transaction-history API.</summary>
    public SePayHistoryOptions History { get; set; } = new();
}

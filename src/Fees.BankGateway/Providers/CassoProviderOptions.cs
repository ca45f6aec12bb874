using Fees.BankGateway.History;

namespace Fees.BankGateway.Providers;

/// <summary>Configuration of Casso, <c>Bank:Providers:casso</c>. With neither key set, the webhook is disabled.</summary>
public sealed class CassoProviderOptions
{
    /// <summary>
    /// <c>Bank:Providers:casso:ChecksumKey</c> (contract key <c>Bank__Providers__casso__ChecksumKey</c>): the HMAC-SHA512 key
    /// (UTF-8 bytes) of webhook v2's <c>X-Casso-Signature</c>. Default none: blank disables v2.
    /// </summary>
    public string? ChecksumKey { get; set; }

    /// <summary>
    /// <c>Bank:Providers:casso:SecureToken</c>, optional: the token the legacy webhook sends in <c>Secure-Token</c>.
    /// Default none: blank disables the legacy scheme. Prefer v2: a static token can be replayed.
    /// </summary>
    public string? SecureToken { get; set; }

    /// <summary><c>Bank:Providers:casso:History</c>: the transaction-history API.</summary>
    public CassoHistoryOptions History { get; set; } = new();
}

namespace Fees.BankGateway.Providers;

/// <summary>Configuration of the generic feed, <c>Bank:Providers:generic</c>.</summary>
public sealed class GenericProviderOptions
{
    /// <summary>
    /// <c>Bank:Providers:generic:Secret</c> (contract key <c>Bank__Providers__generic__Secret</c>): the HMAC-SHA256 key, its
    /// UTF-8 bytes used as is. Default none: null, empty or blank disables the feed (every request is refused as Missing).
    /// </summary>
    public string? Secret { get; set; }
}

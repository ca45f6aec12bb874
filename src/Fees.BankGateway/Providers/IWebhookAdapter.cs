namespace Fees.BankGateway.Providers;

/// <summary>
/// Turns one provider's webhook request into verified, normalized transactions. Pure: no I/O, no clock, no logging.
/// </summary>
/// <remarks>
/// The API layer reads the raw body and headers, calls <see cref="Verify"/> (401 and nothing stored unless verified),
/// then <see cref="Parse"/> (400 with the field errors when refused), then stores the raw body and the transactions.
/// Outcomes are values; only misuse (a null argument) throws. Implementations are immutable and thread-safe.
/// </remarks>
public interface IWebhookAdapter
{
    /// <summary>The provider code, one of <see cref="BankProviderCodes"/>.</summary>
    string Provider { get; }

    /// <summary>Whether any secret is configured. A disabled adapter refuses every request as <see cref="WebhookVerificationStatus.Missing"/>.</summary>
    bool IsEnabled { get; }

    /// <summary>
    /// Checks the request's authentication against the configured secrets, comparing in constant time.
    /// </summary>
    /// <param name="request">Raw body and headers.</param>
    /// <param name="now">The current instant (from a <see cref="TimeProvider"/>), for the timestamp window.</param>
    WebhookVerification Verify(WebhookRequest request, DateTimeOffset now);

    /// <summary>Reads the provider's body into transactions, or names every bad field. Call only on a verified request.</summary>
    WebhookParse Parse(ReadOnlySpan<byte> body);
}

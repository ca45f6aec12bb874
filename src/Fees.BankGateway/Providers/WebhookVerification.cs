namespace Fees.BankGateway.Providers;

/// <summary>
/// The outcome of <see cref="IWebhookAdapter.Verify"/>: a <see cref="Status"/> and an English <see cref="Reason"/> for logs.
/// </summary>
/// <remarks>The reason never contains a secret, a presented signature or token, or body content.</remarks>
/// <param name="Status">The outcome.</param>
/// <param name="Reason">Why, in English, for logs: <c>X-SePay-Timestamp is 360 s from now (tolerance 300 s)</c>.</param>
public readonly record struct WebhookVerification(WebhookVerificationStatus Status, string Reason)
{
    /// <summary>Whether <see cref="Status"/> is <see cref="WebhookVerificationStatus.Verified"/>.</summary>
    public bool IsVerified => Status == WebhookVerificationStatus.Verified;

    internal static WebhookVerification Verified(string reason) => new(WebhookVerificationStatus.Verified, reason);

    internal static WebhookVerification Missing(string reason) => new(WebhookVerificationStatus.Missing, reason);

    internal static WebhookVerification BadSignature(string reason) => new(WebhookVerificationStatus.BadSignature, reason);

    internal static WebhookVerification Stale(string reason) => new(WebhookVerificationStatus.Stale, reason);

    public override string ToString() => $"{Status}: {Reason}";
}

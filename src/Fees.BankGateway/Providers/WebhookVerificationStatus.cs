namespace Fees.BankGateway.Providers;

/// <summary>Whether a webhook request proves it comes from the provider.</summary>
public enum WebhookVerificationStatus
{
    /// <summary>A configured secret, key or token matched. The body may be parsed and stored.</summary>
    Verified = 1,

    /// <summary>
    /// No authentication the provider is configured for was presented: the header is absent, or the provider (or that
    /// scheme) has no secret configured and is disabled. Answer 401; store nothing.
    /// </summary>
    Missing = 2,

    /// <summary>Authentication was presented but is malformed or wrong (the body was changed, a wrong secret). Answer 401.</summary>
    BadSignature = 3,

    /// <summary>
    /// The signature is right but the signed timestamp is more than <see cref="WebhookLimits.TimestampTolerance"/> away from
    /// now, in the past or the future: a replay or a clock off. Answer 401.
    /// </summary>
    Stale = 4,
}

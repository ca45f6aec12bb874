namespace Fees.BankGateway.Providers;

/// <summary>Limits shared by every webhook adapter.</summary>
public static class WebhookLimits
{
    /// <summary>
    /// How far a signed timestamp may be from <c>now</c>, in either direction: 5 minutes, inclusive. Further is
    /// <see cref="WebhookVerificationStatus.Stale"/> (a replay, or a clock badly off).
    /// </summary>
    public static readonly TimeSpan TimestampTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Largest body an adapter parses: 1 MiB. The API layer should cap the request size at the same figure.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Most transactions in one batched body (Casso's legacy <c>data</c> array): 1,000.</summary>
    public const int MaxBatchSize = 1000;

    /// <summary>Deepest JSON nesting accepted: 16 (the real bodies are 2 or 3 deep).</summary>
    public const int MaxJsonDepth = 16;
}

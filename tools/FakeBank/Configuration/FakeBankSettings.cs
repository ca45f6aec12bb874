using FakeBank.Banking;

namespace FakeBank.Configuration;

/// <summary>Faults the fake injects on its own, for every transfer or history call.</summary>
internal sealed record FaultSettings
{
    /// <summary>Default for <c>delivery.failFirst</c>: the first N attempts of every delivery fail.</summary>
    public int? WebhookFailFirst { get; init; }

    /// <summary>Default for <c>delivery.failMode</c>: <c>drop</c> (never sent) or <c>ignoreResponse</c> (sent, answer ignored).</summary>
    public string? WebhookFailMode { get; init; }

    /// <summary>The next N history calls (either provider) answer <see cref="HistoryFailStatus"/>.</summary>
    public int? HistoryFailNext { get; init; }

    public int? HistoryFailStatus { get; init; }
}

/// <summary>The fake's configuration, replaced as a whole on every change so readers never see half an update.</summary>
internal sealed record FakeBankSettings
{
    // SePay's documented schedule (research/vietqr-bank.md §4): 8 attempts, Fibonacci gaps, 30 s timeout.
    public static readonly IReadOnlyList<double> SePayGapsMinutes = [1, 1, 2, 3, 5, 8, 13];

    // Assumed: Casso documents no retry schedule. Five retries with doubling gaps.
    public static readonly IReadOnlyList<double> CassoGapsMinutes = [1, 2, 4, 8, 16];

    /// <summary>Multiplies every retry gap: 1 = real minutes, 0.001 = one minute becomes 60 ms.</summary>
    public double RetryScale { get; init; } = 1;

    public ProviderSettings Generic { get; init; } = new()
    {
        Secret = "fakebank-generic-secret",
        RetryGapsMinutes = SePayGapsMinutes,
        TimeoutSeconds = 30,
    };

    public ProviderSettings SePay { get; init; } = new()
    {
        AuthMode = "apikey",
        ApiKey = "fakebank-sepay-apikey",
        HmacSecret = "fakebank-sepay-hmac-secret",
        ApiToken = "fakebank-sepay-api-token",
        CodePrefixes = [],
        CodeSuffixLength = 8,
        RetryGapsMinutes = SePayGapsMinutes,
        TimeoutSeconds = 30,
    };

    public ProviderSettings Casso { get; init; } = new()
    {
        ChecksumKey = "fakebank-casso-checksum-key",
        ApiKey = "fakebank-casso-api-key",
        RetryGapsMinutes = CassoGapsMinutes,
        TimeoutSeconds = 30,
    };

    public FaultSettings Faults { get; init; } = new()
    {
        WebhookFailFirst = 0,
        WebhookFailMode = "drop",
        HistoryFailNext = 0,
        HistoryFailStatus = 503,
    };

    public ProviderSettings For(Provider provider) => provider switch
    {
        Provider.Generic => Generic,
        Provider.SePay => SePay,
        Provider.Casso => Casso,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };
}

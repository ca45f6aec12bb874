namespace FakeBank.Configuration;

/// <summary>
/// Where and how one provider delivers, and the credentials its history API accepts. In a patch (the JSON control
/// call) a null field keeps the current value; an empty <see cref="Url"/> switches the provider's webhooks off.
/// </summary>
internal sealed record ProviderSettings
{
    /// <summary>Webhook target. Without one the provider sends nothing (its history API still lists the transactions).</summary>
    public string? Url { get; init; }

    /// <summary>generic: the HMAC-SHA256 key of <c>X-Fees-Signature</c>.</summary>
    public string? Secret { get; init; }

    /// <summary>sepay: <c>apikey</c> (default), <c>hmac</c>, <c>both</c> or <c>none</c>.</summary>
    public string? AuthMode { get; init; }

    /// <summary>sepay: the key sent as <c>Authorization: Apikey …</c>. casso: the key its history API accepts.</summary>
    public string? ApiKey { get; init; }

    /// <summary>sepay: the HMAC-SHA256 key of <c>X-SePay-Signature</c>.</summary>
    public string? HmacSecret { get; init; }

    /// <summary>sepay: the bearer token its history API (<c>/userapi/…</c>) accepts.</summary>
    public string? ApiToken { get; init; }

    /// <summary>casso: the checksum key of <c>X-Casso-Signature</c>.</summary>
    public string? ChecksumKey { get; init; }

    /// <summary>sepay: payment-code prefixes it detects in the content and reports as <c>code</c> (none by default, so <c>code</c> is null).</summary>
    public IReadOnlyList<string>? CodePrefixes { get; init; }

    /// <summary>sepay: letters and digits after a code prefix (default 8, so <c>DP</c> + 8 = a 10-character reference).</summary>
    public int? CodeSuffixLength { get; init; }

    /// <summary>Gaps between attempts, in minutes, before the retry scale; attempts = gaps + 1.</summary>
    public IReadOnlyList<double>? RetryGapsMinutes { get; init; }

    /// <summary>How long one attempt may take before it counts as failed (not scaled).</summary>
    public double? TimeoutSeconds { get; init; }

    public ProviderSettings Over(ProviderSettings current) => new()
    {
        Url = Url ?? current.Url,
        Secret = Secret ?? current.Secret,
        AuthMode = AuthMode ?? current.AuthMode,
        ApiKey = ApiKey ?? current.ApiKey,
        HmacSecret = HmacSecret ?? current.HmacSecret,
        ApiToken = ApiToken ?? current.ApiToken,
        ChecksumKey = ChecksumKey ?? current.ChecksumKey,
        CodePrefixes = CodePrefixes ?? current.CodePrefixes,
        CodeSuffixLength = CodeSuffixLength ?? current.CodeSuffixLength,
        RetryGapsMinutes = RetryGapsMinutes ?? current.RetryGapsMinutes,
        TimeoutSeconds = TimeoutSeconds ?? current.TimeoutSeconds,
    };
}

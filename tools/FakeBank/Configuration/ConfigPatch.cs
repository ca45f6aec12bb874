namespace FakeBank.Configuration;

/// <summary>Body of <c>POST /control/config</c>, and what the command line and environment turn into at start.</summary>
internal sealed record ConfigPatch
{
    public double? RetryScale { get; init; }

    /// <summary>Keyed by provider name: <c>generic</c>, <c>sepay</c>, <c>casso</c>.</summary>
    public Dictionary<string, ProviderSettings>? Providers { get; init; }

    public FaultSettings? Faults { get; init; }

    public ClockPatch? Clock { get; init; }
}

/// <summary>Moves the bank clock to <see cref="Now"/> and/or freezes it.</summary>
internal sealed record ClockPatch
{
    public DateTimeOffset? Now { get; init; }

    public bool? Frozen { get; init; }
}

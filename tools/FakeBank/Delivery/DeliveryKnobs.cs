namespace FakeBank.Delivery;

/// <summary>How the webhooks of one transfer are delivered. Every knob is optional.</summary>
internal sealed record DeliveryKnobs
{
    /// <summary>Which providers send a webhook; default: every provider watching the account. Must watch the account.</summary>
    public IReadOnlyList<string>? Providers { get; init; }

    /// <summary>The first N attempts of each delivery fail on purpose (default: <c>faults.webhookFailFirst</c>, 0).</summary>
    public int? FailFirst { get; init; }

    /// <summary><c>drop</c>: not sent at all (a network failure). <c>ignoreResponse</c>: sent, but counted as failed whatever the answer (a timeout after the receiver processed it).</summary>
    public string? FailMode { get; init; }

    /// <summary>How many times each provider delivers the same transaction (default 1); each copy is a full delivery with its own retries.</summary>
    public int? Copies { get; init; }

    /// <summary>Copies start together (true) or one after the other has finished (false, default).</summary>
    public bool? Concurrent { get; init; }

    /// <summary>Real milliseconds to wait before the first attempt (not scaled).</summary>
    public int? DelayMs { get; init; }

    /// <summary>No webhook at all: the transaction shows only in the history APIs.</summary>
    public bool? SkipWebhook { get; init; }
}

using FakeBank.Delivery;
using FakeBank.Rewriting;

namespace FakeBank.Endpoints;

/// <summary>Body of <c>POST /control/accounts</c>.</summary>
internal sealed record AccountRequest
{
    public string? Bin { get; init; }

    public string? AccountNumber { get; init; }

    public string? AccountName { get; init; }

    /// <summary><c>generic</c>, <c>sepay</c>, <c>casso</c>: who watches the account (history and webhooks).</summary>
    public IReadOnlyList<string>? Providers { get; init; }

    public long? OpeningBalance { get; init; }
}

/// <summary>Body of <c>POST /control/transfers</c>. <see cref="ToBin"/>/<see cref="ToAccount"/> always name the bank's account; the <c>from…</c> fields the other side.</summary>
internal sealed record TransferRequest
{
    public string? ToBin { get; init; }

    public string? ToAccount { get; init; }

    /// <summary>Đồng, positive; <see cref="Direction"/> says which way it moves.</summary>
    public long? Amount { get; init; }

    public string? Content { get; init; }

    public string? FromName { get; init; }

    public string? FromAccount { get; init; }

    public string? FromBin { get; init; }

    /// <summary><c>in</c> (default): money into the account; <c>out</c>: money leaves it, towards the <c>from…</c> party.</summary>
    public string? Direction { get; init; }

    /// <summary>Booking time; default: the bank clock.</summary>
    public DateTimeOffset? BookedAt { get; init; }

    public RewriteKnobs? Rewrite { get; init; }

    public DeliveryKnobs? Delivery { get; init; }
}

/// <summary>Body of <c>POST /control/rewrite</c>: the rewrite of a transfer, without booking it.</summary>
internal sealed record RewritePreviewRequest
{
    public string? Content { get; init; }

    public string? FromName { get; init; }

    public string? FromAccount { get; init; }

    public string? ToAccount { get; init; }

    public string? ToName { get; init; }

    public DateTimeOffset? BookedAt { get; init; }

    /// <summary>Stands for the transaction's sequence number in the default trace and prefix numbers (default 1).</summary>
    public long? Sequence { get; init; }

    public RewriteKnobs? Rewrite { get; init; }
}

/// <summary>Body of <c>POST /control/clock/advance</c>: how far to move the manual clock.</summary>
internal sealed record ClockAdvanceRequest
{
    /// <summary>Seconds, positive, at most <see cref="ControlEndpoints.MaxAdvanceSeconds"/>; fractions allowed (whole ticks, rounded).</summary>
    public double? Seconds { get; init; }
}

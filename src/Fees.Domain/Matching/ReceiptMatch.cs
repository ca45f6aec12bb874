using Fees.Domain.Dues;

namespace Fees.Domain.Matching;

/// <summary>
/// What a transfer content says about whom it pays, before anyone is looked up: exactly one of
/// <see cref="Matched"/>, <see cref="NoReference"/>, <see cref="Ambiguous"/> (a closed set: no other case exists).
/// </summary>
/// <remarks>Built by <see cref="TransferContent"/>; turned into a posting decision by <see cref="ReceiptResolver"/>.</remarks>
public abstract record ReceiptMatch
{
    private ReceiptMatch()
    {
    }

    /// <summary>The matches made from a content's distinct references: none, one, or several.</summary>
    /// <exception cref="ArgumentException">The same reference is listed twice (a bug in the reader).</exception>
    public static ReceiptMatch From(IReadOnlyList<FoundReference> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        if (found.Select(f => f.Reference).Distinct().Count() != found.Count)
        {
            throw new ArgumentException("Each reference must be listed once.", nameof(found));
        }
        return found.Count switch
        {
            0 => new NoReference(),
            1 => new Matched(found[0]),
            _ => new Ambiguous(found),
        };
    }

    /// <summary>Exactly one distinct reference with a verifying check character.</summary>
    public sealed record Matched(FoundReference Found) : ReceiptMatch
    {
        public PaymentReference Reference => Found.Reference;
    }

    /// <summary>No reference could be read (empty content, a typo, a truncated or mangled token, a decoy).</summary>
    public sealed record NoReference : ReceiptMatch;

    /// <summary>Two or more distinct references, in order of appearance; never matched to any of them automatically.</summary>
    public sealed record Ambiguous(IReadOnlyList<FoundReference> Found) : ReceiptMatch
    {
        public IEnumerable<PaymentReference> References => Found.Select(f => f.Reference);
    }
}

using System.Collections.ObjectModel;
using Fees.Domain.Amounts;
using Fees.Domain.Time;

namespace Fees.Domain.Ledger;

/// <summary>What a ledger invariant check needs to know of a posted entry; implemented by <see cref="JournalEntry"/>
/// and by storage rows read back for an audit (which may be broken: that is what the checks are for).</summary>
public interface IPostedEntry
{
    EntrySource Source { get; }
    /// <summary>The source of the entry this one reverses, if it is a reversal.</summary>
    EntrySource? Reverses { get; }
    DateOnly BookingDate { get; }
    Period Period { get; }
    IReadOnlyList<PostingLine> Lines { get; }
}

/// <summary>
/// An immutable, balanced journal entry in exactly one organization's books.
/// </summary>
/// <remarks>
/// Laws enforced by <see cref="Create"/>: at least two lines; every amount positive; all lines in the books of one
/// organization (<see cref="OrgId"/>) — an entry never spans two sets of books, so a movement between a child and its
/// parent is always two entries; Σ debits = Σ credits in whole đồng. Entries are never changed: a correction is
/// <see cref="Reverse"/>, a new entry that names what it cancels.
/// </remarks>
public sealed class JournalEntry : IPostedEntry
{
    private JournalEntry(long orgId, EntrySource source, DateOnly bookingDate, Period period,
        ReadOnlyCollection<PostingLine> lines, string memo, EntrySource? reverses)
    {
        OrgId = orgId;
        Source = source;
        BookingDate = bookingDate;
        Period = period;
        Lines = lines;
        Memo = memo;
        Reverses = reverses;
    }

    /// <summary>The organization whose books hold this entry (every line's account belongs to it).</summary>
    public long OrgId { get; }
    /// <summary>The idempotency key.</summary>
    public EntrySource Source { get; }
    /// <summary>The accounting date (Vietnam time); balances "as of" a date include entries booked on it.</summary>
    public DateOnly BookingDate { get; }
    /// <summary>The dues period the entry is reported under.</summary>
    public Period Period { get; }
    public IReadOnlyList<PostingLine> Lines { get; }
    public string Memo { get; }
    /// <summary>For a reversal, the source of the entry it cancels; otherwise null.</summary>
    public EntrySource? Reverses { get; }

    public SourceKind? ReversesSourceKind => Reverses?.Kind;
    public string? ReversesSourceId => Reverses?.Id;

    /// <summary>Σ of the debit lines (= Σ of the credit lines).</summary>
    public Money Total => Money.Sum(Lines.Where(l => l.Side == Side.Debit).Select(l => l.Amount));

    /// <summary>Creates a balanced entry or throws <see cref="ArgumentException"/> saying which law it breaks.</summary>
    public static JournalEntry Create(EntrySource source, DateOnly bookingDate, Period period,
        IReadOnlyList<PostingLine> lines, string memo) =>
        Build(source, bookingDate, period, lines, memo, reverses: null);

    /// <summary>
    /// Rebuilds an entry read back from storage (a reversal included, with its stored memo), under the same laws as
    /// <see cref="Create"/>; throws <see cref="ArgumentException"/> when the stored rows break one.
    /// </summary>
    public static JournalEntry Restore(EntrySource source, DateOnly bookingDate, Period period,
        IReadOnlyList<PostingLine> lines, string memo, EntrySource? reverses) =>
        Build(source, bookingDate, period, lines, memo, reverses);

    /// <summary>
    /// The entry that cancels this one: the same lines with debit and credit swapped, in the same books and period,
    /// naming this entry's source as the one it reverses.
    /// </summary>
    public JournalEntry Reverse(EntrySource reversalSource, DateOnly bookingDate, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (reversalSource.Kind != SourceKind.Reversal)
        {
            throw new ArgumentException("A reversal's source is of kind Reversal.", nameof(reversalSource));
        }
        if (Reverses is not null)
        {
            throw new InvalidOperationException("A reversal is not reversed; post the entry again under a new source.");
        }
        if (bookingDate < BookingDate)
        {
            throw new ArgumentException("A reversal cannot be booked before the entry it reverses.", nameof(bookingDate));
        }
        var swapped = Lines.Select(l => l.Swapped()).ToList();
        return Build(reversalSource, bookingDate, Period, swapped, "Đảo bút toán " + Source + ": " + reason, Source);
    }

    private static JournalEntry Build(EntrySource source, DateOnly bookingDate, Period period,
        IReadOnlyList<PostingLine> lines, string memo, EntrySource? reverses)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(memo);
        if (source == default)
        {
            throw new ArgumentException("An entry needs a source.", nameof(source));
        }
        if (period == default)
        {
            throw new ArgumentException("An entry needs a period.", nameof(period));
        }
        if (memo.Any(char.IsControl))
        {
            throw new ArgumentException("A memo is one line of text.", nameof(memo));
        }
        if (lines.Count < 2)
        {
            throw new ArgumentException($"An entry needs at least two lines; {source} has {lines.Count}.", nameof(lines));
        }
        foreach (var line in lines)
        {
            if (!line.Amount.IsPositive)
            {
                throw new ArgumentException($"Every line amount must be positive; {source} has {line.Amount} on {line.Account}.", nameof(lines));
            }
            if (line.Side is not (Side.Debit or Side.Credit))
            {
                throw new ArgumentException($"Unknown side on {line.Account}.", nameof(lines));
            }
        }
        long orgId = lines[0].Account.OrgId;
        if (lines.Any(l => l.Account.OrgId != orgId))
        {
            throw new ArgumentException($"An entry belongs to one organization's books; {source} names several.", nameof(lines));
        }
        var debits = Money.Sum(lines.Where(l => l.Side == Side.Debit).Select(l => l.Amount));
        var credits = Money.Sum(lines.Where(l => l.Side == Side.Credit).Select(l => l.Amount));
        if (debits != credits)
        {
            throw new ArgumentException($"Entry {source} does not balance: debits {debits}, credits {credits}.", nameof(lines));
        }
        return new JournalEntry(orgId, source, bookingDate, period, lines.ToList().AsReadOnly(), memo, reverses);
    }

    /// <summary>Same source, date, period, memo, reversed source and lines (in order).</summary>
    public bool SameContentAs(JournalEntry other) =>
        Source == other.Source && BookingDate == other.BookingDate && Period == other.Period && Memo == other.Memo
        && Reverses == other.Reverses && Lines.SequenceEqual(other.Lines);

    public override string ToString() => $"{Source} o{OrgId} {BookingDate:yyyy-MM-dd} {Total}";
}

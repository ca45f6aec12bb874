using Fees.Domain.Amounts;
using Fees.Domain.Time;

namespace Fees.Domain.Ledger;

/// <summary>What posting an entry did.</summary>
public enum PostStatus
{
    /// <summary>The entry is now in the books.</summary>
    Posted,
    /// <summary>Its source was already posted: the original entry is returned and nothing changed.</summary>
    Duplicate,
    /// <summary>Refused (a reversal of something not posted, or already reversed); nothing changed.</summary>
    Rejected,
}

/// <param name="Entry">The entry now in the books for that source (the original one for a duplicate), or the refused one.</param>
/// <param name="Reason">Why it was rejected, or for a duplicate whose content differs from the original, that it does.</param>
public sealed record PostResult(PostStatus Status, JournalEntry Entry, string? Reason = null);

/// <summary>
/// The in-memory reference model of the books of any number of organizations: an append-only list of entries,
/// idempotent by source, with balances derived from the entries. The PostgreSQL implementation is tested against it.
/// </summary>
/// <remarks>
/// Posting a source a second time returns the original entry and changes nothing, whatever the retry carries. A
/// reversal is accepted only for an entry in the books that is not already reversed, so an entry plus its reversal
/// is the only way money "un-moves". Not thread-safe.
/// </remarks>
public sealed class Books
{
    private readonly List<JournalEntry> _entries = [];
    private readonly Dictionary<EntrySource, JournalEntry> _bySource = [];
    private readonly Dictionary<EntrySource, EntrySource> _reversedBy = [];
    private readonly Dictionary<AccountKey, (Money Debit, Money Credit)> _totals = [];

    /// <summary>Every entry, in posting order.</summary>
    public IReadOnlyList<JournalEntry> Entries => _entries;

    public IEnumerable<JournalEntry> EntriesOf(long orgId) => _entries.Where(e => e.OrgId == orgId);

    public PostResult Post(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_bySource.TryGetValue(entry.Source, out var original))
        {
            return new PostResult(PostStatus.Duplicate, original,
                original.SameContentAs(entry) ? null : "Same source, different content: the original entry stands.");
        }
        if (entry.Reverses is { } target)
        {
            if (!_bySource.TryGetValue(target, out var reversed))
            {
                return new PostResult(PostStatus.Rejected, entry, $"{target} is not in the books.");
            }
            if (_reversedBy.TryGetValue(target, out var earlier))
            {
                return new PostResult(PostStatus.Rejected, entry, $"{target} was already reversed by {earlier}.");
            }
            if (reversed.Reverses is not null)
            {
                return new PostResult(PostStatus.Rejected, entry, "A reversal is not reversed; post the entry again under a new source.");
            }
            _reversedBy[target] = entry.Source;
        }
        _entries.Add(entry);
        _bySource[entry.Source] = entry;
        foreach (var line in entry.Lines)
        {
            _totals.TryGetValue(line.Account, out var t);
            _totals[line.Account] = line.Side == Side.Debit ? (t.Debit + line.Amount, t.Credit) : (t.Debit, t.Credit + line.Amount);
        }
        return new PostResult(PostStatus.Posted, entry);
    }

    /// <summary>Posts entries in order; each as <see cref="Post"/>.</summary>
    public IReadOnlyList<PostResult> PostAll(IEnumerable<JournalEntry> entries) => entries.Select(Post).ToList();

    public JournalEntry? Find(EntrySource source) => _bySource.GetValueOrDefault(source);

    /// <summary>The source of the reversal of <paramref name="source"/>, if it was reversed.</summary>
    public EntrySource? ReversalOf(EntrySource source) => _reversedBy.TryGetValue(source, out var r) ? r : null;

    /// <summary>The current balance of an account on its normal side.</summary>
    public Money Balance(AccountKey account)
    {
        _totals.TryGetValue(account, out var t);
        return account.NormalSide == Side.Debit ? t.Debit - t.Credit : t.Credit - t.Debit;
    }

    /// <summary>What is open for a period at an organization: own dues collected and children's remittances not yet closed.</summary>
    public (Money OwnCollected, Money ReceivedFromChildren) OpenCollections(long orgId, Period period) =>
        (Balance(AccountKey.DuesCollected(orgId, period)), Balance(AccountKey.RemittancesReceived(orgId, period)));

    public TrialBalance TrialBalance(long orgId, DateOnly asOf) => Ledger.TrialBalance.Of(_entries, orgId, asOf);
}

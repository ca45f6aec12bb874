using System.Globalization;
using FakeBank.Delivery;
using FakeBank.Rewriting;
using FakeBank.Time;

namespace FakeBank.Banking;

/// <summary>What a caller asks the bank to book. The account is always <see cref="Bin"/>/<see cref="AccountNumber"/>; the counterparty is always the other side.</summary>
internal sealed record Booking(
    string Bin,
    string AccountNumber,
    long Amount,
    string Direction,
    string Content,
    string? CounterpartyName,
    string? CounterpartyAccount,
    string? CounterpartyBin,
    DateTimeOffset BookedAt,
    RewriteKnobs? Rewrite);

/// <summary>
/// The bank's books, all in memory behind one lock: accounts with running balances, booked transactions, and every
/// webhook attempt. Sequence numbers (and so provider ids and bank references) keep counting across <see cref="Reset"/>
/// so that a service which already stored a transaction never sees its id again.
/// </summary>
internal sealed class Ledger
{
    /// <summary>Casso ids are the sequence plus this, so no provider's id equals another's for the same transaction.</summary>
    public const long CassoIdOffset = 1_000_000_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Bin, string Number), Account> _accounts = [];
    private readonly List<BankTransaction> _transactions = [];
    private readonly Dictionary<long, List<DeliveryChain>> _chains = [];
    private readonly List<DeliveryAttempt> _attempts = [];
    private long _sequence;
    private int _accountIds;
    private long _attemptIds;

    public Ledger(long idBase) => _sequence = idBase;

    /// <summary>Opens the account, or changes the name and watchers of an existing one (its balance stays).</summary>
    public (Account Account, bool Created) Upsert(string bin, string number, string name, IReadOnlyList<Provider> watchedBy, long openingBalance)
    {
        lock (_gate)
        {
            if (_accounts.TryGetValue((bin, number), out var existing))
            {
                existing.Name = name;
                existing.WatchedBy = watchedBy;
                return (existing, false);
            }
            var account = new Account(++_accountIds, bin, number, name, watchedBy, openingBalance);
            _accounts.Add((bin, number), account);
            return (account, true);
        }
    }

    /// <summary>Books the transfer and moves the balance; null when the bank keeps no such account.</summary>
    public BankTransaction? Book(Booking booking)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue((booking.Bin, booking.AccountNumber), out var account))
            {
                return null;
            }
            long sequence = ++_sequence;
            // Banks stamp transactions to the second; keeping no more makes every report of it agree exactly.
            var bookedAt = booking.BookedAt.ToUniversalTime();
            bookedAt = bookedAt.AddTicks(-(bookedAt.Ticks % TimeSpan.TicksPerSecond));
            var bookedVietnam = VietnamTime.ToVietnam(bookedAt);
            // The payer's note meets the account from the payer's side: for money in, the payer is the counterparty.
            bool incoming = booking.Direction == BankTransaction.In;
            var rewrite = ContentRewriter.Apply(booking.Rewrite, new RewriteContext(
                Note: booking.Content,
                FromName: incoming ? booking.CounterpartyName : account.Name,
                FromAccount: incoming ? booking.CounterpartyAccount : account.Number,
                ToAccount: incoming ? account.Number : booking.CounterpartyAccount ?? "",
                ToName: incoming ? account.Name : booking.CounterpartyName ?? "",
                BookedAtVietnam: bookedVietnam,
                Sequence: sequence));
            account.Balance = checked(account.Balance + (incoming ? booking.Amount : -booking.Amount));
            var transaction = new BankTransaction(
                Sequence: sequence,
                BankReference: BankReference(bookedVietnam, sequence),
                GenericId: "FBK" + sequence.ToString(CultureInfo.InvariantCulture),
                SePayId: sequence,
                CassoId: checked(sequence + CassoIdOffset),
                AccountId: account.Id,
                Bin: account.Bin,
                AccountNumber: account.Number,
                AccountName: account.Name,
                Direction: booking.Direction,
                Amount: booking.Amount,
                BalanceAfter: account.Balance,
                OriginalContent: booking.Content,
                Content: rewrite.Content,
                RewriteSteps: rewrite.Steps,
                BookedAt: bookedAt,
                // Banks print names upper case without diacritics, whatever the payer's app showed.
                CounterpartyName: booking.CounterpartyName is null ? null : VietnameseText.AsBankName(booking.CounterpartyName),
                CounterpartyAccount: booking.CounterpartyAccount,
                CounterpartyBin: booking.CounterpartyBin,
                WatchedBy: account.WatchedBy);
            _transactions.Add(transaction);
            _chains.Add(sequence, []);
            return transaction;
        }
    }

    public DeliveryChain AddChain(long sequence, string provider, int copy, string state)
    {
        lock (_gate)
        {
            var chain = new DeliveryChain(provider, copy, state);
            if (_chains.TryGetValue(sequence, out var chains))
            {
                chains.Add(chain);
            }
            return chain;
        }
    }

    public void SetChainState(DeliveryChain chain, string state)
    {
        lock (_gate)
        {
            chain.State = state;
        }
    }

    public void Record(DeliveryChain chain, Func<long, DeliveryAttempt> attempt)
    {
        lock (_gate)
        {
            var recorded = attempt(++_attemptIds);
            chain.Attempts = Math.Max(chain.Attempts, recorded.Attempt);
            _attempts.Add(recorded);
        }
    }

    public T Read<T>(Func<LedgerView, T> read)
    {
        lock (_gate)
        {
            return read(new LedgerView(_accounts.Values, _transactions, _chains, _attempts));
        }
    }

    /// <summary>Forgets accounts, transactions and attempts; the sequence keeps counting.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _accounts.Clear();
            _transactions.Clear();
            _chains.Clear();
            _attempts.Clear();
        }
    }

    /// <summary><c>FT</c>, the Vietnam date as <c>yyDDD</c> (day of year), nine digits: <c>FT26335052600001</c> (16 characters, like MB's).</summary>
    private static string BankReference(DateTimeOffset bookedVietnam, long sequence) =>
        string.Create(CultureInfo.InvariantCulture,
            $"FT{bookedVietnam.Year % 100:D2}{bookedVietnam.DayOfYear:D3}{sequence % 1_000_000_000:D9}");
}

/// <summary>A read-only look at the ledger, valid only inside <see cref="Ledger.Read{T}"/>.</summary>
internal readonly record struct LedgerView(
    IEnumerable<Account> Accounts,
    IReadOnlyList<BankTransaction> Transactions,
    IReadOnlyDictionary<long, List<DeliveryChain>> Chains,
    IReadOnlyList<DeliveryAttempt> Attempts);

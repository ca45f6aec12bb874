using FakeBank.Banking;
using FakeBank.Delivery;
using FakeBank.Time;

namespace FakeBank.Endpoints;

internal sealed record AccountView(
    int AccountId,
    string Bin,
    string BankName,
    string AccountNumber,
    string AccountName,
    IReadOnlyList<string> Providers,
    long OpeningBalance,
    long Balance)
{
    public static AccountView From(Account a) => new(
        a.Id, a.Bin, BankDirectory.Find(a.Bin).ShortName, a.Number, a.Name,
        [.. a.WatchedBy.Select(p => p.Name())], a.OpeningBalance, a.Balance);
}

internal sealed record ProviderIds(string Generic, long Sepay, long Casso);

internal sealed record CounterpartyView(string? Name, string? Account, string? Bin);

internal sealed record ChainView(string Provider, int Copy, string State, int Attempts);

internal sealed record TransactionView(
    long Sequence,
    string BankReference,
    ProviderIds Ids,
    string Bin,
    string AccountNumber,
    string AccountName,
    string Direction,
    long Amount,
    long SignedAmount,
    long BalanceAfter,
    string OriginalContent,
    string Content,
    IReadOnlyList<string> RewriteSteps,
    DateTimeOffset BookedAt,
    string BookedAtVietnam,
    CounterpartyView Counterparty,
    IReadOnlyList<string> WatchedBy,
    IReadOnlyList<ChainView> Deliveries)
{
    public static TransactionView From(BankTransaction t, IEnumerable<DeliveryChain> chains) => new(
        t.Sequence,
        t.BankReference,
        new ProviderIds(t.GenericId, t.SePayId, t.CassoId),
        t.Bin,
        t.AccountNumber,
        t.AccountName,
        t.Direction,
        t.Amount,
        t.SignedAmount,
        t.BalanceAfter,
        t.OriginalContent,
        t.Content,
        t.RewriteSteps,
        t.BookedAt,
        VietnamTime.Iso(t.BookedAt),
        new CounterpartyView(t.CounterpartyName, t.CounterpartyAccount, t.CounterpartyBin),
        [.. t.WatchedBy.Select(p => p.Name())],
        [.. chains.Select(c => new ChainView(c.Provider, c.Copy, c.State, c.Attempts))]);
}

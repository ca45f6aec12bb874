namespace FakeBank.Banking;

/// <summary>One booked transaction, as every provider will report it. Immutable once booked.</summary>
/// <param name="Sequence">Global sequence number; the provider ids derive from it.</param>
/// <param name="BankReference">The bank's own reference (<c>FT26335012345678</c>), shared by all providers.</param>
/// <param name="Amount">Đồng, always positive; <see cref="Direction"/> gives the sign.</param>
/// <param name="BalanceAfter">The account's running balance right after this transaction.</param>
/// <param name="OriginalContent">What the payer sent.</param>
/// <param name="Content">What the bank reports after the rewrite knobs.</param>
internal sealed record BankTransaction(
    long Sequence,
    string BankReference,
    string GenericId,
    long SePayId,
    long CassoId,
    int AccountId,
    string Bin,
    string AccountNumber,
    string AccountName,
    string Direction,
    long Amount,
    long BalanceAfter,
    string OriginalContent,
    string Content,
    IReadOnlyList<string> RewriteSteps,
    DateTimeOffset BookedAt,
    string? CounterpartyName,
    string? CounterpartyAccount,
    string? CounterpartyBin,
    IReadOnlyList<Provider> WatchedBy)
{
    public const string In = "in";
    public const string Out = "out";

    public long SignedAmount => Direction == Out ? -Amount : Amount;

    public string IdFor(Provider provider) => provider switch
    {
        Provider.Generic => GenericId,
        Provider.SePay => SePayId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Provider.Casso => CassoId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };
}

using Fees.Domain.Amounts;

namespace Fees.Domain.Ledger;

/// <summary>One line of a journal entry: an account, a side and a positive amount in đồng.</summary>
/// <remarks>
/// Deliberately unchecked so that rows read back from storage can be represented and audited;
/// <see cref="JournalEntry.Create"/> refuses zero or negative amounts.
/// </remarks>
public readonly record struct PostingLine(AccountKey Account, Side Side, Money Amount)
{
    public static PostingLine Debit(AccountKey account, Money amount) => new(account, Side.Debit, amount);
    public static PostingLine Credit(AccountKey account, Money amount) => new(account, Side.Credit, amount);

    /// <summary>The amount signed debit-positive (debit +, credit −), the convention of hledger.</summary>
    public Money Signed => Side == Side.Debit ? Amount : -Amount;

    public PostingLine Swapped() => this with { Side = Side.Opposite() };
}

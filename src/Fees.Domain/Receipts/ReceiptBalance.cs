using Fees.Domain.Amounts;

namespace Fees.Domain.Receipts;

/// <summary>
/// How one receipt's money is divided: allocated to dues statements, held as the payer's credit, refunded, and the rest
/// in suspense. The status follows from the division, never set by hand: nothing attributed → unmatched; all attributed
/// or refunded, something attributed → matched; nothing left in suspense and nothing attributed → refunded; some in
/// suspense → partially matched when something is attributed, else unmatched.
/// </summary>
public readonly record struct ReceiptBalance(Money Amount, Money Allocated, Money Credited, Money Refunded, Money Deposited = default)
{
    /// <summary>What is neither attributed nor refunded: the receipt's share of the suspense account.</summary>
    public Money InSuspense => Amount - Allocated - Credited - Refunded - Deposited;

    /// <summary>What is known: paid dues, the payer's credit, or the treasurer's own cash coming back into the bank.</summary>
    public Money Attributed => Allocated + Credited + Deposited;

    /// <summary>The division is possible: nothing negative and no more than the amount in all.</summary>
    public bool IsValid => Amount.IsPositive && !Allocated.IsNegative && !Credited.IsNegative && !Refunded.IsNegative && !Deposited.IsNegative
        && !InSuspense.IsNegative;

    public ReceiptStatus Status => !IsValid
        ? throw new InvalidOperationException($"Receipt of {Amount} cannot hold {Allocated} allocated, {Credited} credited, {Refunded} refunded.")
        : InSuspense.IsZero ? (Attributed.IsPositive ? ReceiptStatus.Matched : ReceiptStatus.Refunded)
        : Attributed.IsPositive ? ReceiptStatus.PartiallyMatched : ReceiptStatus.Unmatched;

    /// <summary>The treasurer allocates <paramref name="amount"/> out of suspense.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Nothing, or more than is in suspense.</exception>
    public ReceiptBalance AllocateFromSuspense(Money amount) => amount.IsPositive && amount <= InSuspense
        ? this with { Allocated = Allocated + amount }
        : throw new ArgumentOutOfRangeException(nameof(amount), amount, $"{InSuspense} is in suspense.");

    /// <summary>The treasurer recognizes what is in suspense as the deposit of their own cash.</summary>
    public ReceiptBalance ConfirmDeposit() => InSuspense.IsPositive
        ? this with { Deposited = Deposited + InSuspense }
        : throw new InvalidOperationException("Nothing is in suspense.");

    /// <summary>The treasurer refunds <paramref name="amount"/> of what is in suspense to the payer.</summary>
    public ReceiptBalance Refund(Money amount) => amount.IsPositive && amount <= InSuspense
        ? this with { Refunded = Refunded + amount }
        : throw new ArgumentOutOfRangeException(nameof(amount), amount, $"{InSuspense} is in suspense.");
}

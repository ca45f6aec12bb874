using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Time;

namespace Fees.Domain.Matching;

/// <summary>
/// A member's dues statement as the allocator needs it (one member, one period, one issuing organization), loaded by the
/// database layer. Whether it can take money is the lifecycle's decision (<see cref="DuesStatementLifecycle"/>), not this
/// type's.
/// </summary>
/// <remarks>Equality is by value of every field.</remarks>
public sealed record OutstandingStatement
{
    /// <exception cref="ArgumentOutOfRangeException">An id is not positive, the amount is negative, or
    /// <paramref name="paidSoFar"/> is outside [0, <paramref name="amount"/>].</exception>
    public OutstandingStatement(long statementId, long memberId, Period period, long orgId, Money amount,
        Money paidSoFar, DuesStatementStatus status)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(statementId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memberId);
        ArgumentOutOfRangeException.ThrowIfNegative(amount.Dong, nameof(amount));
        ArgumentOutOfRangeException.ThrowIfNegative(paidSoFar.Dong, nameof(paidSoFar));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(paidSoFar.Dong, amount.Dong, nameof(paidSoFar));
        StatementId = statementId;
        MemberId = memberId;
        Period = period;
        OrgId = orgId;
        Amount = amount;
        PaidSoFar = paidSoFar;
        Status = status;
    }

    public long StatementId { get; }

    public long MemberId { get; }

    /// <summary>The month the dues are for.</summary>
    public Period Period { get; }

    /// <summary>The organization that issued the statement: the only one whose receipts and credit may pay it.</summary>
    public long OrgId { get; }

    /// <summary>What the statement charges, in đồng (≥ 0).</summary>
    public Money Amount { get; }

    /// <summary>Everything allocated to it so far, in đồng, within [0, <see cref="Amount"/>].</summary>
    public Money PaidSoFar { get; }

    public DuesStatementStatus Status { get; }

    /// <summary><see cref="Amount"/> − <see cref="PaidSoFar"/>, in đồng (≥ 0).</summary>
    public Money Outstanding => Amount - PaidSoFar;
}

using Fees.Domain.Dues;

namespace Fees.Domain.Matching;

/// <summary>The state of what a reference names, as stored. None of them stops a payment: money sent with it still pays.</summary>
public enum ReferenceStatus
{
    /// <summary>A member's standing <c>DT…</c> reference: valid for as long as the member exists.</summary>
    Standing,

    /// <summary>A <c>DP…</c> request still open (<c>open</c>).</summary>
    Open,

    /// <summary>A <c>DP…</c> request already paid (<c>paid</c>); paying it again is an overpayment, i.e. member credit.</summary>
    Paid,

    /// <summary>A <c>DP…</c> request replaced by a newer one (<c>superseded</c>): a code saved months ago still pays.</summary>
    Superseded,

    /// <summary>A <c>DP…</c> request past its expiry (<c>expired</c>); still pays.</summary>
    Expired,
}

/// <summary>
/// Whom a reference belongs to, as the database layer finds it: the member, and the organizations entitled to receive
/// money for that member under this reference.
/// </summary>
/// <remarks>Build with <see cref="OfMember"/> or <see cref="OfRequest"/>.</remarks>
public sealed record ReferenceOwner
{
    private ReferenceOwner(long memberId, IReadOnlySet<long> collectingOrgIds, ReferenceStatus status)
    {
        MemberId = memberId;
        CollectingOrgIds = collectingOrgIds;
        Status = status;
    }

    /// <summary>The member the money is for (&gt; 0).</summary>
    public long MemberId { get; }

    /// <summary>
    /// Organizations whose account may receive money under this reference. For a <c>DT…</c> member reference: the member's
    /// organization and any that still holds an unpaid statement of theirs (a member who moved). For a <c>DP…</c> request:
    /// the organization the request was made for (its QR pays into that organization's account).
    /// </summary>
    public IReadOnlySet<long> CollectingOrgIds { get; }

    public ReferenceStatus Status { get; }

    /// <summary>The owner of a member's standing <c>DT…</c> reference.</summary>
    /// <param name="memberId">The member (&gt; 0).</param>
    /// <param name="collectingOrgIds">The member's organization and any that still holds an unpaid statement of theirs; may be empty (nobody collects: every receipt is flagged).</param>
    public static ReferenceOwner OfMember(long memberId, IEnumerable<long> collectingOrgIds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memberId);
        ArgumentNullException.ThrowIfNull(collectingOrgIds);
        return new ReferenceOwner(memberId, collectingOrgIds.ToHashSet(), ReferenceStatus.Standing);
    }

    /// <summary>The owner of a <c>DP…</c> payment request made for <paramref name="memberId"/> at <paramref name="requestOrgId"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="status"/> is <see cref="ReferenceStatus.Standing"/>, which only member references have.</exception>
    public static ReferenceOwner OfRequest(long memberId, long requestOrgId, ReferenceStatus status)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memberId);
        if (status == ReferenceStatus.Standing || !Enum.IsDefined(status))
        {
            throw new ArgumentException($"A payment request cannot be '{status}'.", nameof(status));
        }
        return new ReferenceOwner(memberId, new HashSet<long> { requestOrgId }, status);
    }

    /// <summary>Whether the owner's kind fits the reference's: standing for <c>DT…</c>, a request status for <c>DP…</c>.</summary>
    public bool Fits(PaymentReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return (reference.Kind == PaymentReferenceKind.Member) == (Status == ReferenceStatus.Standing);
    }
}

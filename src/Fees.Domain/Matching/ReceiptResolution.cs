using System.Globalization;
using Fees.Domain.Dues;

namespace Fees.Domain.Matching;

/// <summary>
/// What to do with a bank credit once its references are looked up: post it to a member (<see cref="ToMember"/>), or
/// keep it in the receiving organization's suspense account and the treasurer's queue (every other case). A closed set.
/// </summary>
/// <remarks>
/// Only <see cref="ToMember"/> is ever posted automatically (<see cref="IsAutoPosted"/>); the money of every other case is
/// on the receiving organization's bank account all the same, so it is posted to that organization's suspense account,
/// never to a member's dues or another organization's books.
/// </remarks>
public abstract record ReceiptResolution
{
    private ReceiptResolution()
    {
    }

    /// <summary>Whether the receipt may be allocated to a member without a person looking at it.</summary>
    public bool IsAutoPosted => this is ToMember;

    /// <summary>One sentence for the treasurer's queue, in Vietnamese.</summary>
    public abstract string ToVietnamese();

    /// <summary>The receipt pays <paramref name="MemberId"/>; allocate it with <see cref="Allocator.Allocate"/>.</summary>
    /// <param name="MemberId">The member.</param>
    /// <param name="Found">The reference that named them (the first, when several all named them).</param>
    /// <param name="Owner">What the lookup returned for it (its status tells a superseded or already paid request).</param>
    public sealed record ToMember(long MemberId, FoundReference Found, ReferenceOwner Owner) : ReceiptResolution
    {
        public override string ToVietnamese() =>
            string.Create(CultureInfo.InvariantCulture, $"Tự động ghi nhận cho đảng viên theo mã {Found.Reference}.");
    }

    /// <summary>No reference was read: suspense.</summary>
    public sealed record NoReference : ReceiptResolution
    {
        public override string ToVietnamese() =>
            "Nội dung chuyển khoản không có mã thanh toán hợp lệ; khoản tiền được ghi vào Tiền chờ xử lý để thủ quỹ xác định người nộp.";
    }

    /// <summary>A reference with a verifying check character that nobody has (a chance window or a double typo): suspense.</summary>
    public sealed record UnknownReference(FoundReference Found) : ReceiptResolution
    {
        public override string ToVietnamese() =>
            string.Create(CultureInfo.InvariantCulture,
                $"Mã {Found.Reference} đúng định dạng nhưng không thuộc đảng viên hay yêu cầu thanh toán nào; khoản tiền được ghi vào Tiền chờ xử lý để thủ quỹ xác định người nộp.");
    }

    /// <summary>Several references that do not all name the same known member collecting here: suspense.</summary>
    /// <param name="Found">The references, in order of appearance.</param>
    /// <param name="Owners">What the lookup returned for each, in the same order (null: nobody has it).</param>
    public sealed record Ambiguous(IReadOnlyList<FoundReference> Found, IReadOnlyList<ReferenceOwner?> Owners) : ReceiptResolution
    {
        public override string ToVietnamese() =>
            "Nội dung chuyển khoản có nhiều mã thanh toán (" + string.Join(", ", Found.Select(f => f.Reference.Value))
            + "); không tự động ghi nhận, khoản tiền được ghi vào Tiền chờ xử lý để thủ quỹ xác định.";
    }

    /// <summary>
    /// The reference names a member from whom the receiving organization does not collect (or a request made for another
    /// organization's account): flagged, kept in the receiving organization's suspense, never posted to the member's dues.
    /// </summary>
    public sealed record OtherOrganization(long MemberId, FoundReference Found, IReadOnlySet<long> CollectingOrgIds) : ReceiptResolution
    {
        public override string ToVietnamese() =>
            string.Create(CultureInfo.InvariantCulture,
                $"Mã {Found.Reference} thuộc đảng viên do tổ chức khác thu; không ghi vào đảng phí của tổ chức này; khoản tiền được ghi vào Tiền chờ xử lý để thủ quỹ hoàn trả hoặc chuyển cho tổ chức thu.");
    }
}

/// <summary>Turns a <see cref="ReceiptMatch"/> into a <see cref="ReceiptResolution"/> with the database's answers.</summary>
public static class ReceiptResolver
{
    /// <summary>
    /// Resolves a match for a credit on the account of <paramref name="receivingOrgId"/>, looking references up with
    /// <paramref name="lookup"/> (null: nobody has it).
    /// </summary>
    /// <remarks>
    /// Laws: the result is <see cref="ReceiptResolution.ToMember"/> only if every reference read is known, all of them
    /// name the same member, and every one of them is collected by the receiving organization; a reference the lookup
    /// does not know is never posted. Several references naming one member (a payer who pasted both their
    /// <c>DT…</c> and a <c>DP…</c>) post to that member; anything else with several references is ambiguous.
    /// Request status never blocks a payment (a superseded request still pays).
    /// </remarks>
    /// <exception cref="ArgumentException">The lookup returned an owner that does not fit the reference's kind (a bug).</exception>
    public static ReceiptResolution Resolve(ReceiptMatch match, long receivingOrgId, Func<PaymentReference, ReferenceOwner?> lookup)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(lookup);
        switch (match)
        {
            case ReceiptMatch.NoReference:
                return new ReceiptResolution.NoReference();
            case ReceiptMatch.Matched matched:
            {
                var owner = Look(lookup, matched.Reference);
                if (owner is null)
                {
                    return new ReceiptResolution.UnknownReference(matched.Found);
                }
                return owner.CollectingOrgIds.Contains(receivingOrgId)
                    ? new ReceiptResolution.ToMember(owner.MemberId, matched.Found, owner)
                    : new ReceiptResolution.OtherOrganization(owner.MemberId, matched.Found, owner.CollectingOrgIds);
            }
            case ReceiptMatch.Ambiguous ambiguous:
            {
                var owners = ambiguous.Found.Select(f => Look(lookup, f.Reference)).ToList();
                if (owners.TrueForAll(o => o is not null)
                    && owners.Select(o => o!.MemberId).Distinct().Count() == 1)
                {
                    if (owners.TrueForAll(o => o!.CollectingOrgIds.Contains(receivingOrgId)))
                    {
                        return new ReceiptResolution.ToMember(owners[0]!.MemberId, ambiguous.Found[0], owners[0]!);
                    }
                    if (owners.TrueForAll(o => !o!.CollectingOrgIds.Contains(receivingOrgId)))
                    {
                        return new ReceiptResolution.OtherOrganization(owners[0]!.MemberId, ambiguous.Found[0], owners[0]!.CollectingOrgIds);
                    }
                }
                return new ReceiptResolution.Ambiguous(ambiguous.Found, owners);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(match), match, "Unknown kind of match.");
        }
    }

    private static ReferenceOwner? Look(Func<PaymentReference, ReferenceOwner?> lookup, PaymentReference reference)
    {
        var owner = lookup(reference);
        if (owner is not null && !owner.Fits(reference))
        {
            throw new ArgumentException(
                $"The lookup gave {reference} (a {reference.Kind} reference) an owner with status {owner.Status}.", nameof(lookup));
        }
        return owner;
    }
}

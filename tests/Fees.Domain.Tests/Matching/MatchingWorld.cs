using Fees.Domain.Dues;
using Fees.Domain.Matching;

namespace Fees.Domain.Tests.Matching;

/// <summary>
/// The members, organizations and payment requests the corpus speaks of, and the lookup the database layer would give:
/// organization 10 (a cell) and 20 (another), five members, six requests (see the corpus header).
/// </summary>
public static class MatchingWorld
{
    public const long OrgA = 10;
    public const long OrgB = 20;

    public static IReadOnlyDictionary<long, string> MemberNames { get; } = new Dictionary<long, string>
    {
        [1042] = "Nguyễn Văn Đức",
        [1043] = "Trần Thị Mai",
        [1099] = "Phạm Minh Tuấn",
        [2077] = "Lê Hoàng Nam",
        [3001] = "Võ Thị Hồng Nhung",
    };

    private static readonly Dictionary<PaymentReference, ReferenceOwner> Owners = new()
    {
        [PaymentReference.ForMember(1042)] = ReferenceOwner.OfMember(1042, [OrgA]),
        [PaymentReference.ForMember(1043)] = ReferenceOwner.OfMember(1043, [OrgA]),
        [PaymentReference.ForMember(3001)] = ReferenceOwner.OfMember(3001, [OrgA]),
        // Moved from 10 to 20; 10 still holds an unpaid statement of his.
        [PaymentReference.ForMember(1099)] = ReferenceOwner.OfMember(1099, [OrgA, OrgB]),
        [PaymentReference.ForMember(2077)] = ReferenceOwner.OfMember(2077, [OrgB]),
        [PaymentReference.NewRequest(5001)] = ReferenceOwner.OfRequest(1042, OrgA, ReferenceStatus.Open),
        [PaymentReference.NewRequest(5002)] = ReferenceOwner.OfRequest(1042, OrgA, ReferenceStatus.Superseded),
        [PaymentReference.NewRequest(5003)] = ReferenceOwner.OfRequest(1043, OrgA, ReferenceStatus.Paid),
        [PaymentReference.NewRequest(5004)] = ReferenceOwner.OfRequest(1043, OrgA, ReferenceStatus.Expired),
        [PaymentReference.NewRequest(6001)] = ReferenceOwner.OfRequest(2077, OrgB, ReferenceStatus.Open),
        [PaymentReference.NewRequest(6002)] = ReferenceOwner.OfRequest(1099, OrgB, ReferenceStatus.Open),
    };

    /// <summary>Every reference the world knows.</summary>
    public static IEnumerable<PaymentReference> References => Owners.Keys;

    /// <summary>The references of one member (standing and requests).</summary>
    public static IEnumerable<PaymentReference> ReferencesOf(long memberId) =>
        Owners.Where(o => o.Value.MemberId == memberId).Select(o => o.Key);

    public static ReferenceOwner? Lookup(PaymentReference reference) => Owners.GetValueOrDefault(reference);

    /// <summary>Content → match → resolution, as the receipt job runs it.</summary>
    public static ReceiptResolution Resolve(string content, long accountOrgId) =>
        ReceiptResolver.Resolve(TransferContent.MatchOf(content), accountOrgId, Lookup);

    /// <summary>The corpus notation of a resolution.</summary>
    public static string Describe(ReceiptResolution resolution) => resolution switch
    {
        ReceiptResolution.ToMember m => "member:" + m.MemberId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ReceiptResolution.NoReference => "suspense:none",
        ReceiptResolution.UnknownReference => "suspense:unknown",
        ReceiptResolution.Ambiguous => "suspense:ambiguous",
        ReceiptResolution.OtherOrganization o => "flag:" + o.MemberId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(resolution)),
    };
}

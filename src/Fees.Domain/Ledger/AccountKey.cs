using System.Globalization;
using Fees.Domain.Time;

namespace Fees.Domain.Ledger;

/// <summary>
/// One account of one organization's books: (organization id, <see cref="AccountType"/>, sub-key). The sub-key is
/// a period for per-period accounts, a member id for member credit, a child organization id for a receivable,
/// and 0 for the rest; stored as one <see cref="long"/> so that (org, type, sub_key) can be a plain unique key.
/// </summary>
/// <remarks>
/// A period sub-key is encoded as <c>yyyyMM</c> (202608). Build keys only through the factories, which check that
/// the sub-key fits the type. The default value is not a valid key.
/// </remarks>
public readonly record struct AccountKey
{
    private AccountKey(long orgId, AccountType type, long subKey)
    {
        OrgId = orgId;
        Type = type;
        SubKey = subKey;
    }

    /// <summary>The organization whose books hold the account.</summary>
    public long OrgId { get; }
    public AccountType Type { get; }
    /// <summary>The raw sub-key: <c>yyyyMM</c>, a member id, a child organization id, or 0.</summary>
    public long SubKey { get; }

    public static AccountKey Bank(long orgId) => new(orgId, AccountType.Bank, 0);
    public static AccountKey Suspense(long orgId) => new(orgId, AccountType.Suspense, 0);
    public static AccountKey Cash(long orgId) => new(orgId, AccountType.Cash, 0);
    public static AccountKey PayableToParent(long orgId) => new(orgId, AccountType.PayableToParent, 0);
    public static AccountKey DuesCollected(long orgId, Period period) => new(orgId, AccountType.DuesCollected, Encode(period));
    public static AccountKey RemittancesReceived(long orgId, Period period) => new(orgId, AccountType.RemittancesReceived, Encode(period));
    public static AccountKey RetainedShare(long orgId, Period period) => new(orgId, AccountType.RetainedShare, Encode(period));

    public static AccountKey MemberCredit(long orgId, long memberId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memberId);
        return new AccountKey(orgId, AccountType.MemberCredit, memberId);
    }

    public static AccountKey RemittanceReceivable(long orgId, long childOrgId)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(childOrgId);
        if (childOrgId == orgId)
        {
            throw new ArgumentException("An organization cannot be its own child.", nameof(childOrgId));
        }
        return new AccountKey(orgId, AccountType.RemittanceReceivable, childOrgId);
    }

    /// <summary>Rebuilds a key from its stored parts (a database row), checking that the sub-key fits the type.</summary>
    public static AccountKey FromParts(long orgId, AccountType type, long subKey) => type.SubKey() switch
    {
        SubKeyKind.None when subKey == 0 => new AccountKey(orgId, type, 0),
        SubKeyKind.Period => new AccountKey(orgId, type, Encode(Decode(subKey))),
        SubKeyKind.Member => MemberCredit(orgId, subKey),
        SubKeyKind.ChildOrganization => RemittanceReceivable(orgId, subKey),
        _ => throw new ArgumentOutOfRangeException(nameof(subKey), subKey, $"Sub-key does not fit account type {type}."),
    };

    public Period? Period => Type.SubKey() == SubKeyKind.Period ? Decode(SubKey) : null;
    public long? MemberId => Type.SubKey() == SubKeyKind.Member ? SubKey : null;
    public long? ChildOrgId => Type.SubKey() == SubKeyKind.ChildOrganization ? SubKey : null;

    public Side NormalSide => Type.NormalSide();

    /// <summary>
    /// The stable export code, unique within one organization's books: <c>bank</c>, <c>suspense</c>, <c>payable</c>,
    /// <c>dues:2026-08</c>, <c>received:2026-08</c>, <c>retained:2026-08</c>, <c>credit:m123</c>, <c>receivable:o45</c>.
    /// </summary>
    public string Code => Type.CodeStem() + SuffixWithColon;

    /// <summary>
    /// The hledger/ledger-cli account name: <c>assets:bank</c>, <c>revenue:dues-collected:2026-08</c>,
    /// <c>liabilities:member-credit:m123</c>, <c>assets:remittance-receivable:o45</c>… (ASCII, no spaces, no <c>;</c>).
    /// </summary>
    public string HledgerName => Type.HledgerStem() + SuffixWithColon;

    /// <summary>Vietnamese display name with the sub-key: <c>Đảng phí đã thu tháng 8/2026</c>.</summary>
    public string DisplayName => Type.SubKey() switch
    {
        SubKeyKind.Period => Type.ToVietnamese() + " " + Decode(SubKey).ToDisplayString(),
        SubKeyKind.Member => Type.ToVietnamese() + " (đảng viên " + SubKey.ToString(CultureInfo.InvariantCulture) + ")",
        SubKeyKind.ChildOrganization => Type.ToVietnamese() + " (tổ chức " + SubKey.ToString(CultureInfo.InvariantCulture) + ")",
        _ => Type.ToVietnamese(),
    };

    private string SuffixWithColon => Type.SubKey() switch
    {
        SubKeyKind.Period => ":" + Decode(SubKey).ToString(),
        SubKeyKind.Member => ":m" + SubKey.ToString(CultureInfo.InvariantCulture),
        SubKeyKind.ChildOrganization => ":o" + SubKey.ToString(CultureInfo.InvariantCulture),
        _ => string.Empty,
    };

    public override string ToString() =>
        "o" + OrgId.ToString(CultureInfo.InvariantCulture) + "/" + Code;

    private static long Encode(Period period) => (period.Year * 100L) + period.Month;

    private static Period Decode(long subKey) => Time.Period.Of(checked((int)(subKey / 100)), (int)(subKey % 100));
}

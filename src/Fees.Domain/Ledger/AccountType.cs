namespace Fees.Domain.Ledger;

/// <summary>
/// The kinds of account in an organization's books. An organization's chart is not stored row by row: an account
/// exists as soon as a posting names its <see cref="AccountKey"/> (type plus an optional sub-key).
/// </summary>
/// <remarks>The numeric values are stable (they may be stored); add new types at the end.</remarks>
public enum AccountType
{
    /// <summary>Tiền gửi ngân hàng: the organization's bank account (asset). Must reconcile with the bank's statement.</summary>
    Bank = 1,
    /// <summary>Đảng phí đã thu: members' dues collected for one period (revenue-like; sub-key = the period).</summary>
    DuesCollected = 2,
    /// <summary>Tiền đảng viên nộp thừa: a member's overpayment (liability; sub-key = the member id).</summary>
    MemberCredit = 3,
    /// <summary>Tiền chờ xử lý: a receipt that matched nobody, until allocated or refunded (liability).</summary>
    Suspense = 4,
    /// <summary>Phải thu cấp dưới nộp lên: what a child owes us after its close (asset; sub-key = the child organization id).</summary>
    RemittanceReceivable = 5,
    /// <summary>Đảng phí cấp dưới nộp lên: children's remittances for one period, split at our own close (revenue-like; sub-key = the period).</summary>
    RemittancesReceived = 6,
    /// <summary>Phải nộp cấp trên: our close's share for the parent, until the remittance leaves the bank (liability).</summary>
    PayableToParent = 7,
    /// <summary>Đảng phí được trích giữ lại: what our closes kept (equity; sub-key = the period).</summary>
    RetainedShare = 8,

    /// <summary>Cash the treasurer holds (tiền mặt): debited by cash payments, credited when the bank confirms the deposit.</summary>
    Cash = 9,
}

/// <summary>Debit or credit.</summary>
public enum Side
{
    Debit = 1,
    Credit = 2,
}

/// <summary>Which part of the balance sheet an account belongs to; fixes its normal side and its hledger top-level name.</summary>
public enum AccountClass
{
    Asset,
    Liability,
    Equity,
    Revenue,
}

/// <summary>What an account's sub-key means.</summary>
public enum SubKeyKind
{
    None,
    Period,
    Member,
    ChildOrganization,
}

/// <summary>The fixed facts of each <see cref="AccountType"/>: class, normal side, code stem, names.</summary>
public static class AccountTypes
{
    public static IReadOnlyList<AccountType> All { get; } = Enum.GetValues<AccountType>();

    public static AccountClass Class(this AccountType type) => type switch
    {
        AccountType.Bank or AccountType.RemittanceReceivable or AccountType.Cash => AccountClass.Asset,
        AccountType.MemberCredit or AccountType.Suspense or AccountType.PayableToParent => AccountClass.Liability,
        AccountType.RetainedShare => AccountClass.Equity,
        AccountType.DuesCollected or AccountType.RemittancesReceived => AccountClass.Revenue,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The side on which the account normally carries its balance: debit for assets, credit otherwise.</summary>
    public static Side NormalSide(this AccountType type) =>
        type.Class() == AccountClass.Asset ? Side.Debit : Side.Credit;

    public static SubKeyKind SubKey(this AccountType type) => type switch
    {
        AccountType.DuesCollected or AccountType.RemittancesReceived or AccountType.RetainedShare => SubKeyKind.Period,
        AccountType.MemberCredit => SubKeyKind.Member,
        AccountType.RemittanceReceivable => SubKeyKind.ChildOrganization,
        AccountType.Bank or AccountType.Suspense or AccountType.PayableToParent or AccountType.Cash => SubKeyKind.None,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The stable code stem used in exports and the trial balance (<c>bank</c>, <c>dues</c>, <c>credit</c>…).</summary>
    public static string CodeStem(this AccountType type) => type switch
    {
        AccountType.Bank => "bank",
        AccountType.DuesCollected => "dues",
        AccountType.MemberCredit => "credit",
        AccountType.Suspense => "suspense",
        AccountType.RemittanceReceivable => "receivable",
        AccountType.RemittancesReceived => "received",
        AccountType.PayableToParent => "payable",
        AccountType.RetainedShare => "retained",
        AccountType.Cash => "cash",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The hledger account path without the sub-key (<c>assets:bank</c>, <c>revenue:dues-collected</c>…).</summary>
    public static string HledgerStem(this AccountType type) => type switch
    {
        AccountType.Bank => "assets:bank",
        AccountType.RemittanceReceivable => "assets:remittance-receivable",
        AccountType.MemberCredit => "liabilities:member-credit",
        AccountType.Suspense => "liabilities:suspense",
        AccountType.PayableToParent => "liabilities:payable-to-parent",
        AccountType.RetainedShare => "equity:retained-share",
        AccountType.DuesCollected => "revenue:dues-collected",
        AccountType.RemittancesReceived => "revenue:remittances-received",
        AccountType.Cash => "assets:cash",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Vietnamese display name (the wording of the legacy đảng phí books).</summary>
    public static string ToVietnamese(this AccountType type) => type switch
    {
        AccountType.Bank => "Tiền gửi ngân hàng",
        AccountType.DuesCollected => "Đảng phí đã thu",
        AccountType.MemberCredit => "Tiền đảng viên nộp thừa",
        AccountType.Suspense => "Tiền chờ xử lý",
        AccountType.RemittanceReceivable => "Phải thu cấp dưới nộp lên",
        AccountType.RemittancesReceived => "Đảng phí cấp dưới nộp lên",
        AccountType.PayableToParent => "Phải nộp cấp trên",
        AccountType.RetainedShare => "Đảng phí được trích giữ lại",
        AccountType.Cash => "Tiền mặt",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static Side Opposite(this Side side) => side == Side.Debit ? Side.Credit : Side.Debit;
}

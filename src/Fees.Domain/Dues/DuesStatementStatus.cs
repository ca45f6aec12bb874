using System.Diagnostics.CodeAnalysis;

namespace Fees.Domain.Dues;

/// <summary>
/// Where a dues statement (one member, one period) is in its life. Stored as the contract's string codes
/// (<see cref="DuesStatementStatusCodes.ToCode"/>); the allowed moves are in <see cref="DuesStatementLifecycle"/> and
/// <c>docs/dues-statement-states.md</c>.
/// </summary>
public enum DuesStatementStatus
{
    /// <summary><c>awaiting_data</c>: the income the rule needs has not arrived; nothing is owed yet.</summary>
    AwaitingData,
    /// <summary><c>issued</c>: the amount is owed and nothing is paid.</summary>
    Issued,
    /// <summary><c>partially_paid</c>: something, not all, is paid.</summary>
    PartiallyPaid,
    /// <summary><c>paid</c>: fully paid. Final.</summary>
    Paid,
    /// <summary><c>exempt</c>: nothing is owed (an exemption rule applied). Final.</summary>
    Exempt,
    /// <summary><c>transferred</c>: the member moved before paying; the rest of the obligation follows them. Final here.</summary>
    Transferred,
    /// <summary>
    /// <c>cancelled</c>: issued by mistake and cancelled by a recorded decision before anything was paid (an extension
    /// of the contract's statuses). Nothing is owed on it; the period's next generation issues what the corrected data
    /// says. Final.
    /// </summary>
    Cancelled,
}

public static class DuesStatementStatusCodes
{
    private static readonly Dictionary<string, DuesStatementStatus> ByCode = new(StringComparer.Ordinal)
    {
        ["awaiting_data"] = DuesStatementStatus.AwaitingData,
        ["issued"] = DuesStatementStatus.Issued,
        ["partially_paid"] = DuesStatementStatus.PartiallyPaid,
        ["paid"] = DuesStatementStatus.Paid,
        ["exempt"] = DuesStatementStatus.Exempt,
        ["transferred"] = DuesStatementStatus.Transferred,
        ["cancelled"] = DuesStatementStatus.Cancelled,
    };

    public static string ToCode(this DuesStatementStatus status) => status switch
    {
        DuesStatementStatus.AwaitingData => "awaiting_data",
        DuesStatementStatus.Issued => "issued",
        DuesStatementStatus.PartiallyPaid => "partially_paid",
        DuesStatementStatus.Paid => "paid",
        DuesStatementStatus.Exempt => "exempt",
        DuesStatementStatus.Transferred => "transferred",
        DuesStatementStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The status as members and treasurers read it on the pages.</summary>
    public static string ToVietnamese(this DuesStatementStatus status) => status switch
    {
        DuesStatementStatus.AwaitingData => "Chờ số liệu tiền lương",
        DuesStatementStatus.Issued => "Chưa nộp",
        DuesStatementStatus.PartiallyPaid => "Đã nộp một phần",
        DuesStatementStatus.Paid => "Đã nộp đủ",
        DuesStatementStatus.Exempt => "Được miễn",
        DuesStatementStatus.Transferred => "Chuyển theo đảng viên",
        DuesStatementStatus.Cancelled => "Đã hủy do lập nhầm",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse([NotNullWhen(true)] string? code, out DuesStatementStatus status)
    {
        status = default;
        return code is not null && ByCode.TryGetValue(code, out status);
    }
}

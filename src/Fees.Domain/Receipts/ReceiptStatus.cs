using System.Diagnostics.CodeAnalysis;

namespace Fees.Domain.Receipts;

/// <summary>
/// Where money received by an organization stands (stored as the contract's codes). What is not yet attributed to a
/// member sits in the organization's suspense account and the treasurer's queue.
/// </summary>
public enum ReceiptStatus
{
    /// <summary><c>matched</c>: all of it is attributed to a member (their statements, the rest their credit).</summary>
    Matched,
    /// <summary><c>partially_matched</c>: the treasurer attributed part of it; the rest is still in suspense.</summary>
    PartiallyMatched,
    /// <summary><c>unmatched</c>: nobody is identified yet; all of it is in suspense.</summary>
    Unmatched,
    /// <summary><c>refunded</c>: what was in suspense went back to the payer (an outgoing transfer recorded by the treasurer).</summary>
    Refunded,
}

public static class ReceiptStatusCodes
{
    public static string ToCode(this ReceiptStatus status) => status switch
    {
        ReceiptStatus.Matched => "matched",
        ReceiptStatus.PartiallyMatched => "partially_matched",
        ReceiptStatus.Unmatched => "unmatched",
        ReceiptStatus.Refunded => "refunded",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse([NotNullWhen(true)] string? code, out ReceiptStatus status)
    {
        (bool ok, status) = code switch
        {
            "matched" => (true, ReceiptStatus.Matched),
            "partially_matched" => (true, ReceiptStatus.PartiallyMatched),
            "unmatched" => (true, ReceiptStatus.Unmatched),
            "refunded" => (true, ReceiptStatus.Refunded),
            _ => (false, default),
        };
        return ok;
    }

    public static ReceiptStatus Parse(string code) => TryParse(code, out var s) ? s : throw new InvalidOperationException($"Unknown receipt status '{code}'");

    /// <summary>The status as treasurers read it on the pages.</summary>
    public static string ToVietnamese(this ReceiptStatus status) => status switch
    {
        ReceiptStatus.Matched => "Đã xác định",
        ReceiptStatus.PartiallyMatched => "Đã xác định một phần",
        ReceiptStatus.Unmatched => "Chưa xác định (tạm treo)",
        ReceiptStatus.Refunded => "Đã hoàn trả",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}

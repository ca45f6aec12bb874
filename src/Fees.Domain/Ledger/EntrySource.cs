using System.Globalization;

namespace Fees.Domain.Ledger;

/// <summary>What caused a journal entry. The numeric values are stable (they may be stored); add at the end.</summary>
public enum SourceKind
{
    /// <summary>A member's (or an unknown payer's) credit on the organization's bank account. Id: the bank transaction id.</summary>
    BankReceipt = 1,
    /// <summary>Member credit applied to later dues by the system. Id: the allocation id.</summary>
    Allocation = 2,
    /// <summary>A treasurer's allocation out of suspense. Id: the allocation id.</summary>
    ManualAllocation = 3,
    /// <summary>An organization's close of a period, in its own books. Id: <c>{orgId}/{yyyy-MM}</c>.</summary>
    PeriodClose = 4,
    /// <summary>The same close, in the parent's books (what the child now owes it). Id: <c>{childOrgId}/{yyyy-MM}</c>.</summary>
    ChildPeriodClose = 5,
    /// <summary>A remittance leaving the child's bank account for the parent. Id: the remittance reference.</summary>
    RemittanceSent = 6,
    /// <summary>A child's remittance arriving on the parent's bank account. Id: the bank transaction id at the parent.</summary>
    RemittanceReceipt = 7,
    /// <summary>Money paid back out of suspense or member credit. Id: the refund id.</summary>
    Refund = 8,
    /// <summary>A correction that cancels an earlier entry line by line. Id: the reversal id.</summary>
    Reversal = 9,

    /// <summary>A member paid the treasurer in cash.</summary>
    CashReceipt = 10,

    /// <summary>Cash the treasurer deposited, confirmed when the bank reported the credit: suspense to cash.</summary>
    CashDeposit = 11,
}

/// <summary>
/// The idempotency key of a posting: (kind, id). A source posts at most once, whatever the retries; storage puts a
/// unique constraint on it.
/// </summary>
public readonly record struct EntrySource
{
    public EntrySource(SourceKind kind, string id)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (id.Length > 200 || id.Any(c => char.IsControl(c) || c is ';' or '(' or ')'))
        {
            throw new ArgumentException("A source id is at most 200 characters, with no control characters, ';' or parentheses.", nameof(id));
        }
        Kind = kind;
        Id = id;
    }

    public SourceKind Kind { get; }
    public string Id { get; }

    /// <summary>The stable code of the kind for exports (<c>bank-receipt</c>, <c>period-close</c>…).</summary>
    public string KindCode => Kind switch
    {
        SourceKind.BankReceipt => "bank-receipt",
        SourceKind.Allocation => "allocation",
        SourceKind.ManualAllocation => "manual-allocation",
        SourceKind.PeriodClose => "period-close",
        SourceKind.ChildPeriodClose => "child-period-close",
        SourceKind.RemittanceSent => "remittance-sent",
        SourceKind.RemittanceReceipt => "remittance-receipt",
        SourceKind.Refund => "refund",
        SourceKind.Reversal => "reversal",
        SourceKind.CashReceipt => "cash-receipt",
        SourceKind.CashDeposit => "cash-deposit",
        _ => ((int)Kind).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary><c>bank-receipt:FT26228123</c>: kind code and id, as written in exports.</summary>
    public override string ToString() => KindCode + ":" + Id;
}

using Fees.Domain.Rules;
using Fees.Domain.Time;

namespace Fees.Domain.Dues;

/// <summary>A committee decision exempting or reducing a member's fee for at most 12 periods (FR-09, FR-10), as recorded.</summary>
public sealed class FeeDecisionRecord
{
    private FeeDecisionRecord()
    {
    }

    public long Id { get; private set; }
    public long MemberId { get; private set; }
    public ReliefReason Reason { get; private set; }
    public int ReductionPercent { get; private set; }
    public string DecidedBy { get; private set; } = "";
    public string DocumentRef { get; private set; } = "";
    public Period ValidFrom { get; private set; }
    public Period ValidTo { get; private set; }
    public string? Note { get; private set; }
    public string RecordedBy { get; private set; } = "";
    public DateTimeOffset RecordedAt { get; private set; }

    public static FeeDecisionRecord Record(long memberId, FeeDecision decision, string recordedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(decision);
        return new FeeDecisionRecord
        {
            MemberId = memberId, Reason = decision.Reason, ReductionPercent = decision.ReductionPercent, DecidedBy = decision.DecidedBy,
            DocumentRef = decision.DocumentRef, ValidFrom = decision.ValidFrom, ValidTo = decision.ValidTo, Note = decision.Note,
            RecordedBy = recordedBy, RecordedAt = now,
        };
    }
}

/// <summary>A voluntary higher monthly amount declared by the member and approved (FR-11), from a period on (until one, inclusive, when set).</summary>
public sealed class VoluntaryAmount
{
    private VoluntaryAmount()
    {
    }

    public long Id { get; private set; }
    public long MemberId { get; private set; }
    public Fees.Domain.Amounts.Money Amount { get; private set; }
    public string ApprovedBy { get; private set; } = "";
    public string DocumentRef { get; private set; } = "";
    public Period ValidFrom { get; private set; }
    public Period? ValidTo { get; private set; }
    public string RecordedBy { get; private set; } = "";
    public DateTimeOffset RecordedAt { get; private set; }

    public static VoluntaryAmount Record(long memberId, Fees.Domain.Amounts.Money amount, string approvedBy, string documentRef, Period from, Period? to,
        string recordedBy, DateTimeOffset now)
    {
        if (!amount.IsPositive)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A voluntary amount is positive.");
        }
        if (to is { } end && end < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "A voluntary amount ends on or after its start.");
        }
        return new VoluntaryAmount
        {
            MemberId = memberId, Amount = amount, ApprovedBy = approvedBy, DocumentRef = documentRef, ValidFrom = from, ValidTo = to,
            RecordedBy = recordedBy, RecordedAt = now,
        };
    }
}

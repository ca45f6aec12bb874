using Fees.Domain.Amounts;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;

namespace Fees.Domain.Rules;

/// <summary>Why a committee exempted or reduced a member's fee (01-QĐ/TW Điều 5).</summary>
public enum ReliefReason
{
    /// <summary>Hộ nghèo: full exemption only.</summary>
    PoorHousehold,
    /// <summary>Hộ cận nghèo: full exemption only.</summary>
    NearPoorHousehold,
    /// <summary>Người mắc bệnh hiểm nghèo: full exemption only.</summary>
    GraveIllness,
    /// <summary>Other hardship: a reduction of 30%, 50% or 70%, or a full exemption.</summary>
    OtherHardship,
}

/// <summary>
/// A decision of the competent committee exempting (<see cref="RuleIds.DecisionExempt"/>) or reducing
/// (<see cref="RuleIds.DecisionReduction"/>) a member's fee for the periods <see cref="ValidFrom"/>..<see cref="ValidTo"/>
/// (both included, at most 12). Outside those periods it simply does not apply: an expired decision needs no action.
/// </summary>
/// <remarks>Build with <see cref="Decide"/> (a refusal is a value) or <see cref="Create"/> (a refusal is a bug).</remarks>
public sealed record FeeDecision
{
    /// <summary>"Mỗi lần xem xét miễn, giảm … tối đa là 12 tháng" (01-QĐ/TW Điều 5).</summary>
    public const int MaxMonths = 12;

    private static readonly int[] AllowedPercents = [30, 50, 70, 100];

    private FeeDecision(ReliefReason reason, int percent, string decidedBy, string documentRef, Period validFrom, Period validTo, string? note, bool isHypothetical = false)
    {
        IsHypothetical = isHypothetical;
        Reason = reason;
        ReductionPercent = percent;
        DecidedBy = decidedBy;
        DocumentRef = documentRef;
        ValidFrom = validFrom;
        ValidTo = validTo;
        Note = note;
    }

    public ReliefReason Reason { get; }

    /// <summary>30, 50, 70 or 100 (100 = full exemption).</summary>
    public int ReductionPercent { get; }

    public bool IsFullExemption => ReductionPercent == 100;

    public Percent Reduction => Percent.FromWholePercent(ReductionPercent);

    /// <summary>The committee that decided, e.g. <c>Chi bộ Thôn Đông</c> or <c>Đảng ủy xã Hòa Bình</c>.</summary>
    public string DecidedBy { get; }

    /// <summary>The number of the decision document, e.g. <c>12-QĐ/ĐU</c>.</summary>
    public string DocumentRef { get; }

    public Period ValidFrom { get; }

    public Period ValidTo { get; }

    /// <summary>Free-text reason from the application, if any.</summary>
    public string? Note { get; }

    public int Months => ValidTo.MonthsSince(ValidFrom) + 1;

    /// <summary>True for a what-if decision made by <see cref="ForQuote"/> (no committee, no document).</summary>
    public bool IsHypothetical { get; }

    /// <summary>Whether the decision applies to <paramref name="period"/>.</summary>
    public bool IsActiveIn(Period period) => period >= ValidFrom && period <= ValidTo;

    /// <summary>The longest decider name or document reference kept (characters).</summary>
    public const int MaxTextLength = 200;

    /// <summary>The longest note kept (characters).</summary>
    public const int MaxNoteLength = 1000;

    /// <summary>
    /// Validates a decision. A refusal names the field (<c>decidedBy</c>, <c>documentRef</c>, <c>reductionPercent</c>,
    /// <c>validTo</c>, <c>note</c>) with a Vietnamese message and a stable code (<c>longer_than_twelve_months</c> …).
    /// </summary>
    public static Outcome<FeeDecision> Decide(
        ReliefReason reason, int reductionPercent, string? decidedBy, string? documentRef, Period validFrom, Period validTo, string? note)
    {
        if (string.IsNullOrWhiteSpace(decidedBy) || decidedBy.Length > MaxTextLength)
        {
            return Refused("missing_decider", "decidedBy", $"Cần ghi cấp ủy, tổ chức đảng quyết định (tối đa {MaxTextLength} ký tự).");
        }
        if (string.IsNullOrWhiteSpace(documentRef) || documentRef.Length > MaxTextLength)
        {
            return Refused("missing_document", "documentRef", $"Cần số, ký hiệu văn bản quyết định (tối đa {MaxTextLength} ký tự).");
        }
        if (note is { Length: > MaxNoteLength })
        {
            return Refused("note_too_long", "note", $"Ghi chú tối đa {MaxNoteLength} ký tự.");
        }
        if (!Enum.IsDefined(reason) || !AllowedPercents.Contains(reductionPercent) || (reason != ReliefReason.OtherHardship && reductionPercent != 100))
        {
            return Refused("percent_not_allowed", "reductionPercent",
                "Mức giảm là 30, 50 hoặc 70%, hoặc miễn (100%); hộ nghèo, cận nghèo, bệnh hiểm nghèo chỉ được miễn.");
        }
        if (validTo < validFrom)
        {
            return Refused("ends_before_it_starts", "validTo", "Kỳ kết thúc trước kỳ bắt đầu.");
        }
        if (validTo.MonthsSince(validFrom) + 1 > MaxMonths)
        {
            return Refused("longer_than_twelve_months", "validTo", "Mỗi lần xem xét miễn, giảm tối đa 12 tháng.");
        }
        return new FeeDecision(reason, reductionPercent, decidedBy.Trim(), documentRef.Trim(), validFrom, validTo, note);
    }

    /// <summary>Like <see cref="Decide"/> but throws <see cref="ArgumentException"/> on a refusal.</summary>
    public static FeeDecision Create(
        ReliefReason reason, int reductionPercent, string decidedBy, string documentRef, Period validFrom, Period validTo, string? note = null)
    {
        var outcome = Decide(reason, reductionPercent, decidedBy, documentRef, validFrom, validTo, note);
        return outcome.Succeeded ? outcome.Value : throw new ArgumentException($"Committee decision refused: {outcome.Refusal.Code}.");
    }

    /// <summary>
    /// A one-period decision for a what-if quote (the quote endpoint's <c>reductionPercent</c>), with no document.
    /// Returns null when <paramref name="reductionPercent"/> is not 30, 50, 70 or 100.
    /// </summary>
    public static FeeDecision? ForQuote(int reductionPercent, Period period) =>
        AllowedPercents.Contains(reductionPercent)
            ? new FeeDecision(ReliefReason.OtherHardship, reductionPercent, "(báo giá)", "(không có)", period, period, null, isHypothetical: true)
            : null;

    private static Refusal Refused(string code, string field, string message) =>
        Refusal.Invalid(new Dictionary<string, string[]> { [field] = [message] }, code: code);
}

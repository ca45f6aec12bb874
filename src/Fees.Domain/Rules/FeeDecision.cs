namespace Fees.Domain.Rules;

using System.Diagnostics.CodeAnalysis;
using Fees.Domain.Money;
using Fees.Domain.Time;

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

/// <summary>Why a committee decision was refused.</summary>
public enum FeeDecisionRefusal
{
    None = 0,
    /// <summary>More than <see cref="FeeDecision.MaxMonths"/> months ("tối đa là 12 tháng").</summary>
    LongerThanTwelveMonths,
    /// <summary>The last period is before the first.</summary>
    EndsBeforeItStarts,
    /// <summary>Not 30, 50, 70 or 100 percent; or a reduction for a reason that only allows full exemption.</summary>
    PercentNotAllowed,
    /// <summary>Who decided, or the document reference, is missing.</summary>
    MissingDecider,
    MissingDocument,
}

/// <summary>
/// A decision of the competent committee exempting (<see cref="RuleIds.DecisionExempt"/>) or reducing
/// (<see cref="RuleIds.DecisionReduction"/>) a member's fee for the periods <see cref="ValidFrom"/>..<see cref="ValidTo"/>
/// (both included, at most 12). Outside those periods it simply does not apply: an expired decision needs no action.
/// </summary>
/// <remarks>Build with <see cref="TryCreate"/> (a refusal is a value) or <see cref="Create"/> (a refusal is a bug).</remarks>
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

    /// <summary>Validates a decision; refusals (too long, wrong percent…) are returned, not thrown.</summary>
    public static bool TryCreate(
        ReliefReason reason,
        int reductionPercent,
        string decidedBy,
        string documentRef,
        Period validFrom,
        Period validTo,
        string? note,
        [NotNullWhen(true)] out FeeDecision? decision,
        out FeeDecisionRefusal refusal)
    {
        decision = null;
        refusal = Check(reason, reductionPercent, decidedBy, documentRef, validFrom, validTo);
        if (refusal != FeeDecisionRefusal.None)
        {
            return false;
        }
        decision = new FeeDecision(reason, reductionPercent, decidedBy.Trim(), documentRef.Trim(), validFrom, validTo, note);
        return true;
    }

    /// <summary>Like <see cref="TryCreate"/> but throws <see cref="ArgumentException"/> on a refusal.</summary>
    public static FeeDecision Create(
        ReliefReason reason, int reductionPercent, string decidedBy, string documentRef, Period validFrom, Period validTo, string? note = null) =>
        TryCreate(reason, reductionPercent, decidedBy, documentRef, validFrom, validTo, note, out var decision, out var refusal)
            ? decision
            : throw new ArgumentException($"Committee decision refused: {refusal}.");

    /// <summary>
    /// A one-period decision for a what-if quote (the quote endpoint's <c>reductionPercent</c>), with no document.
    /// Returns null when <paramref name="reductionPercent"/> is not 30, 50, 70 or 100.
    /// </summary>
    public static FeeDecision? ForQuote(int reductionPercent, Period period) =>
        AllowedPercents.Contains(reductionPercent)
            ? new FeeDecision(ReliefReason.OtherHardship, reductionPercent, "(báo giá)", "(không có)", period, period, null, isHypothetical: true)
            : null;

    private static FeeDecisionRefusal Check(
        ReliefReason reason, int percent, string decidedBy, string documentRef, Period validFrom, Period validTo)
    {
        if (string.IsNullOrWhiteSpace(decidedBy))
        {
            return FeeDecisionRefusal.MissingDecider;
        }
        if (string.IsNullOrWhiteSpace(documentRef))
        {
            return FeeDecisionRefusal.MissingDocument;
        }
        if (!AllowedPercents.Contains(percent) || (reason != ReliefReason.OtherHardship && percent != 100))
        {
            return FeeDecisionRefusal.PercentNotAllowed;
        }
        if (validTo < validFrom)
        {
            return FeeDecisionRefusal.EndsBeforeItStarts;
        }
        if (validTo.MonthsSince(validFrom) + 1 > MaxMonths)
        {
            return FeeDecisionRefusal.LongerThanTwelveMonths;
        }
        return FeeDecisionRefusal.None;
    }
}

using Fees.Domain.Outcomes;
using Fees.Domain.Time;

namespace Fees.Domain.Remittance;

/// <summary>A child organization as its parent's close sees it.</summary>
/// <param name="LatestClose">The latest period the child has closed (and not reopened), if any.</param>
/// <param name="Waived">Whether the parent's office waived the child's close of the period in question.</param>
public sealed record ChildCloseState(long OrgId, string Code, string Name, CloseCadence Cadence, Period? LatestClose, bool Waived)
{
    /// <summary>
    /// Whether the child no longer holds up its parent's close of <paramref name="period"/>: it closed that period or a
    /// later one, its cadence does not close that month (a quarterly child in July), or the parent waived it.
    /// </summary>
    public bool Settles(Period period) => Waived || !Cadence.Closes(period) || (LatestClose is { } p && p >= period);
}

/// <summary>
/// Whether an organization may close a period now, and why not: the rules a person reads on the close page and the API
/// answers with. Pure: the caller reads the states (under the organization's lock) and writes the close.
/// </summary>
public static class CloseGate
{
    public static Outcome<Done> MayClose(Period period, Period currentPeriod, CloseCadence cadence, Period? latestClose,
        IReadOnlyCollection<ChildCloseState> children)
    {
        ArgumentNullException.ThrowIfNull(children);
        if (period < Period.FirstOnSystem)
        {
            return Refusal.Rule("before_system_start",
                $"Hệ thống chỉ thu, nộp đảng phí từ {Period.FirstOnSystem.ToDisplayString()}; không khóa sổ kỳ trước đó.");
        }
        if (period >= currentPeriod)
        {
            return Refusal.Rule("period_not_over", $"Chưa hết {period.ToDisplayString()}: chỉ khóa sổ khi kỳ đã kết thúc.");
        }
        if (latestClose is { } latest && latest == period)
        {
            return Refusal.Conflict("already_closed", $"Tổ chức đã khóa sổ {period.ToDisplayString()}.");
        }
        if (latestClose is { } later && later > period)
        {
            return Refusal.Conflict("later_period_closed",
                $"Tổ chức đã khóa sổ {later.ToDisplayString()}; số thu của {period.ToDisplayString()} đã được kết chuyển vào kỳ đó.");
        }
        if (!cadence.Closes(period))
        {
            return Refusal.Rule("not_a_close_period",
                $"Tổ chức khóa sổ hằng quý: kỳ khóa sổ tiếp theo là {cadence.CloseCovering(period).ToDisplayString()}.");
        }
        var missing = children.Where(c => !c.Settles(period)).OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            return new Refusal(RefusalKind.RuleViolation, "children_not_closed",
                $"Còn {missing.Count} tổ chức trực thuộc chưa khóa sổ {period.ToDisplayString()} (hoặc chưa được miễn khóa sổ có lý do).",
                Details: new Dictionary<string, object?> { ["children"] = missing.Select(c => c.Code).ToArray() });
        }
        return Done.Value;
    }
}

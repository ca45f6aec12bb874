using Fees.Reports.ReportRanges;

namespace Fees.Reports.Tables;

/// <summary>Whose report and which months: the organization it is made for and the range.</summary>
public sealed record ReportHeader(string OrgCode, string OrgName, ReportRange Range)
{
    /// <summary>The report's own date: the last day of its range (never the clock).</summary>
    public DateOnly AsOf => Range.To.LastDay;

    internal ReportDocument Document(string code, string form, string title, IReadOnlyList<ReportSection> sections, IReadOnlyList<string> notes) =>
        new(code, form, title, OrgCode, OrgName, Range.ToVietnamese(), AsOf, sections, notes);

    internal static IReadOnlyList<ReportCell> Row(params ReportCell[] cells) => cells;
}

using System.Globalization;

namespace Fees.Reports.Tables;

/// <summary>How a column's values are written: text as is, numbers as whole đồng or counts, shares as percentages.</summary>
public enum ColumnKind
{
    Text,
    Money,
    Count,
    /// <summary>A share in basis points (1 % = 100), written with one decimal.</summary>
    Percent,
}

public sealed record ReportColumn(string Heading, ColumnKind Kind);

/// <summary>One cell: text, or a number the column's kind formats (money and counts as integers, shares in basis points).</summary>
public readonly record struct ReportCell(string? Text, long? Number)
{
    public static ReportCell Of(string? text) => new(text ?? "", null);
    public static ReportCell Of(long number) => new(null, number);
    public static implicit operator ReportCell(string text) => Of(text);
    public static implicit operator ReportCell(long number) => Of(number);
}

/// <summary>A table of a report: an optional heading, its columns and its rows (each as many cells as columns).</summary>
public sealed record ReportSection(string? Heading, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyList<ReportCell>> Rows)
{
    /// <summary>The row indices to print bold (totals).</summary>
    public IReadOnlySet<int> TotalRows { get; init; } = new HashSet<int>();
}

/// <summary>Bars of the completion chart: one label and one share (basis points) per organization.</summary>
public sealed record ChartData(string Title, IReadOnlyList<(string Label, long BasisPoints)> Bars);

/// <summary>
/// A report as every writer (csv, xlsx, pdf, the page's preview) sees it. Pure data; <see cref="AsOf"/> is the report's
/// own date (the end of its range, or the latest fact in it), never the clock, so the same data writes the same bytes.
/// </summary>
public sealed record ReportDocument(
    string Code,
    string Form,
    string Title,
    string OrgCode,
    string OrgName,
    string RangeText,
    DateOnly AsOf,
    IReadOnlyList<ReportSection> Sections,
    IReadOnlyList<string> Notes)
{
    public ChartData? Chart { get; init; }

    /// <summary>An ASCII file name: <c>b01-HN-2026-Q3.pdf</c>.</summary>
    public string FileName(string range, string extension) =>
        string.Create(CultureInfo.InvariantCulture, $"{Code}-{Ascii(OrgCode)}-{Ascii(range)}.{extension}");

    /// <summary>The same name with Vietnamese words, for <c>filename*</c>.</summary>
    public string DisplayFileName(string range, string extension) =>
        string.Create(CultureInfo.InvariantCulture, $"{Title} {OrgCode} {range}.{extension}");

    private static string Ascii(string text) =>
        new(text.Select(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' ? c : '_').ToArray());
}

/// <summary>Number and cell formatting the writers share.</summary>
public static class ReportFormat
{
    /// <summary>Vietnamese grouping: <c>1.234.567</c>.</summary>
    public static readonly NumberFormatInfo Vietnamese = new() { NumberGroupSeparator = ".", NumberDecimalSeparator = ",", NegativeSign = "-" };

    /// <summary>A cell as pages and the pdf show it: numbers grouped the Vietnamese way, shares as <c>66,7 %</c>.</summary>
    public static string Display(ReportCell cell, ColumnKind kind) => cell.Number is not { } n
        ? cell.Text ?? ""
        : kind == ColumnKind.Percent
            ? (n / 100m).ToString("0.0", Vietnamese) + " %"
            : n.ToString("#,0", Vietnamese);

    /// <summary>A cell as csv writes it: invariant culture, plain integers, shares as <c>66.7</c>.</summary>
    public static string Invariant(ReportCell cell, ColumnKind kind) => cell.Number is not { } n
        ? cell.Text ?? ""
        : kind == ColumnKind.Percent
            ? (n / 100m).ToString("0.0", CultureInfo.InvariantCulture)
            : n.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A text cell a spreadsheet would read as a formula (<c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, or a tab or carriage
    /// return before one) is written with a leading apostrophe, so that it stays text.
    /// </summary>
    public static string Neutralise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
    }

    /// <summary>A date as Vietnamese documents write it: <c>30/09/2026</c>.</summary>
    public static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
}

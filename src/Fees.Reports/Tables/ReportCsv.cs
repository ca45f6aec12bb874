using System.Text;

namespace Fees.Reports.Tables;

/// <summary>
/// A report as CSV: UTF-8 with a byte-order mark (so Excel reads the diacritics), comma-separated, CRLF lines, invariant
/// numbers, text that a spreadsheet would take for a formula neutralised with a leading apostrophe. The title lines come
/// first, then each section with its heading line and header row, then the notes.
/// </summary>
public static class ReportCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static byte[] Write(ReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var text = new StringBuilder();
        void Line(IEnumerable<string> cells) => text.Append(string.Join(',', cells.Select(c => Quote(ReportFormat.Neutralise(c))))).Append("\r\n");

        Line([doc.Form, doc.Title]);
        Line([doc.OrgName, doc.OrgCode]);
        Line([doc.RangeText]);
        foreach (var section in doc.Sections)
        {
            text.Append("\r\n");
            if (section.Heading is { } heading)
            {
                Line([heading]);
            }
            Line(section.Columns.Select(c => c.Heading));
            foreach (var row in section.Rows)
            {
                // Numbers are written as numbers (a negative one keeps its sign); only text is neutralised.
                text.Append(string.Join(',', row.Select((cell, i) => cell.Number is null
                    ? Quote(ReportFormat.Neutralise(cell.Text ?? ""))
                    : ReportFormat.Invariant(cell, section.Columns[i].Kind)))).Append("\r\n");
            }
        }
        if (doc.Notes.Count > 0)
        {
            text.Append("\r\n");
            foreach (var note in doc.Notes)
            {
                Line(["Ghi chú: " + note]);
            }
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    private static string Quote(string value)
    {
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}

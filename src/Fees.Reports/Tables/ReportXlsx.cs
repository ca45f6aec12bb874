using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Fees.Reports.Tables;

/// <summary>
/// A report as an xlsx workbook (one sheet, the layout of the csv): numbers as numbers (shares as fractions with a percent
/// format), text as inline strings, neutralised like the csv, headings and totals bold. The package's dates are the
/// report's own date.
/// </summary>
public static class ReportXlsx
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private const uint Plain = 0, Bold = 1, Number = 2, BoldNumber = 3, Percent = 4, BoldPercent = 5;

    public static byte[] Write(ReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        using var output = new MemoryStream();
        using (var package = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook))
        {
            var when = doc.AsOf.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            package.PackageProperties.Created = when;
            package.PackageProperties.Modified = when;
            package.PackageProperties.Title = doc.Title;
            package.PackageProperties.Creator = "PartyTTHC Fees";

            var workbook = package.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var styles = workbook.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            uint r = 0;
            void Row(IEnumerable<Cell> cells)
            {
                var row = new Row { RowIndex = ++r };
                row.Append(cells);
                data.Append(row);
            }
            Row([Text(doc.Form, Bold), Text(doc.Title, Bold)]);
            Row([Text(doc.OrgName, Plain), Text(doc.OrgCode, Plain)]);
            Row([Text(doc.RangeText, Plain)]);
            foreach (var section in doc.Sections)
            {
                r++;
                if (section.Heading is { } heading)
                {
                    Row([Text(heading, Bold)]);
                }
                Row(section.Columns.Select(c => Text(c.Heading, Bold)));
                for (int i = 0; i < section.Rows.Count; i++)
                {
                    bool total = section.TotalRows.Contains(i);
                    Row(section.Rows[i].Select((cell, c) => Cell(cell, section.Columns[c].Kind, total)));
                }
            }
            if (doc.Notes.Count > 0)
            {
                r++;
                foreach (var note in doc.Notes)
                {
                    Row([Text("Ghi chú: " + note, Plain)]);
                }
            }
            int widest = doc.Sections.Max(s => s.Columns.Count);
            var columns = new Columns();
            for (uint c = 1; c <= widest; c++)
            {
                columns.Append(new Column { Min = c, Max = c, Width = c == 2 ? 40 : 18, CustomWidth = true });
            }
            sheetPart.Worksheet = new Worksheet(columns, data);
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = doc.Code.ToUpperInvariant() });
            workbook.Workbook.Save();
        }
        return output.ToArray();
    }

    private static Cell Cell(ReportCell cell, ColumnKind kind, bool total)
    {
        if (cell.Number is not { } n)
        {
            return Text(cell.Text ?? "", total ? Bold : Plain);
        }
        return kind == ColumnKind.Percent
            ? new Cell { DataType = CellValues.Number, CellValue = new CellValue(n / 10_000m), StyleIndex = total ? BoldPercent : Percent }
            : new Cell { DataType = CellValues.Number, CellValue = new CellValue((decimal)n), StyleIndex = total ? BoldNumber : Number };
    }

    private static Cell Text(string text, uint style) => new()
    {
        DataType = CellValues.InlineString,
        InlineString = new InlineString(new Text(ReportFormat.Neutralise(text)) { Space = SpaceProcessingModeValues.Preserve }),
        StyleIndex = style,
    };

    private static Stylesheet Stylesheet() => new(
        new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
            new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" })) { Count = 2 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellFormats(
            new CellFormat { FontId = 0 },
            new CellFormat { FontId = 1, ApplyFont = true },
            new CellFormat { FontId = 0, NumberFormatId = 3, ApplyNumberFormat = true },
            new CellFormat { FontId = 1, NumberFormatId = 3, ApplyNumberFormat = true, ApplyFont = true },
            new CellFormat { FontId = 0, NumberFormatId = 10, ApplyNumberFormat = true },
            new CellFormat { FontId = 1, NumberFormatId = 10, ApplyNumberFormat = true, ApplyFont = true }) { Count = 6 });
}

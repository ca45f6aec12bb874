using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Fees.Reports.ReportRanges;
using Fees.Reports.Tables;

namespace Fees.Reports.Tests.Tables;

/// <summary>
/// Every report in every format from a fixed sample: csv and the pdf's text against golden files (set
/// <c>FEES_UPDATE_GOLDEN=1</c> to rewrite them after a deliberate change), the xlsx read back with the OpenXml SDK.
/// </summary>
public sealed partial class ReportWriterTests
{
    [Theory]
    [MemberData(nameof(SampleReports.All), MemberType = typeof(SampleReports))]
    public void Csv_MatchesItsGoldenFile(string code)
    {
        byte[] csv = ReportCsv.Write(SampleReports.Named(code));
        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        Golden($"{code}.csv", Encoding.UTF8.GetString(csv[3..]));
    }

    [Theory]
    [MemberData(nameof(SampleReports.All), MemberType = typeof(SampleReports))]
    public async Task PdfText_MatchesItsGoldenFile(string code)
    {
        var doc = SampleReports.Named(code);
        byte[] pdf = ReportPdf.Write(doc);
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        string text = await PdfText(pdf);
        Assert.Contains(doc.Title.ToUpperInvariant(), text, StringComparison.Ordinal);
        Assert.Contains("ĐẢNG CỘNG SẢN VIỆT NAM", text, StringComparison.Ordinal);
        Golden($"{code}.pdf.txt", text);
    }

    [Theory]
    [MemberData(nameof(SampleReports.All), MemberType = typeof(SampleReports))]
    public void Pdf_IsTheSameBytes_EveryTime(string code)
    {
        var doc = SampleReports.Named(code);
        Assert.Equal(ReportPdf.Write(doc), ReportPdf.Write(doc));
    }

    [Theory]
    [MemberData(nameof(SampleReports.All), MemberType = typeof(SampleReports))]
    public void Xlsx_ReadsBack_WithTheTitleHeadingsAndNumbers(string code)
    {
        var doc = SampleReports.Named(code);
        var cells = ReadXlsx(ReportXlsx.Write(doc));
        Assert.Equal(doc.Title, cells[0][1]);
        var section = doc.Sections[0];
        Assert.Contains(cells, row => row.SequenceEqual(section.Columns.Select(c => c.Heading)));
        // Every number of the report is a number cell of the sheet, and nothing else is.
        using var package = SpreadsheetDocument.Open(new MemoryStream(ReportXlsx.Write(doc)), false);
        int numbers = package.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<Cell>().Count(c => c.DataType?.Value == CellValues.Number);
        Assert.Equal(doc.Sections.SelectMany(s => s.Rows).SelectMany(r => r).Count(c => c.Number is not null), numbers);
        // And the package is valid Office Open XML, as a spreadsheet program expects it.
        var errors = new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(package).Select(e => $"{e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Csv_NeutralisesFormulaText_ButNotNumbers()
    {
        string csv = Encoding.UTF8.GetString(ReportCsv.Write(SampleReports.S01()));
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=", csv, StringComparison.Ordinal);
        string arrears = Encoding.UTF8.GetString(ReportCsv.Write(SampleReports.Arrears()));
        Assert.Contains(",'-1+1,", arrears, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+84", "'+84")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("Chi bộ", "Chi bộ")]
    [InlineData("", "")]
    public void Neutralise_PrefixesAnApostrophe_OnlyBeforeFormulaStarts(string text, string expected) =>
        Assert.Equal(expected, ReportFormat.Neutralise(text));

    [Fact]
    public void Xlsx_NeutralisesFormulaText_AndStoresNoFormula()
    {
        byte[] xlsx = ReportXlsx.Write(SampleReports.S01());
        var cells = ReadXlsx(xlsx);
        Assert.Contains(cells, row => row.Contains("'=HYPERLINK(\"http://x\")"));
        using var package = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        Assert.Empty(package.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<CellFormula>());
    }

    [Fact]
    public void Xlsx_StoresMoneyAsNumbers()
    {
        var cells = ReadXlsx(ReportXlsx.Write(SampleReports.B01()));
        var row02 = cells.Single(r => r.Count > 3 && r[0] == "02");
        Assert.Equal(["1234567", "400000", "350000", "1984567"], row02[4..8]);
    }

    [Fact]
    public async Task PdfText_WritesNumbersTheVietnameseWay_AndTheChartLabels()
    {
        string b01 = await PdfText(ReportPdf.Write(SampleReports.B01()));
        Assert.Contains("1.234.567", b01, StringComparison.Ordinal);
        Assert.Contains("BÁO CÁO THU NỘP ĐẢNG PHÍ", b01, StringComparison.Ordinal);
        Assert.Contains("Mẫu B01/ĐP", b01, StringComparison.Ordinal);
        Assert.Contains("Quý III năm 2026", b01, StringComparison.Ordinal);
        string completion = await PdfText(ReportPdf.Write(SampleReports.Completion()));
        Assert.Contains("HN.DN01", completion, StringComparison.Ordinal);
        Assert.Contains("69,0 %", completion, StringComparison.Ordinal);
    }

    [Fact]
    public void ChartPng_IsAPng()
    {
        byte[] png = CompletionChart.Png(SampleReports.Completion().Chart!);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
    }

    [Theory]
    [InlineData("2026-08", "2026-08", "2026-08", "Tháng 8 năm 2026")]
    [InlineData("2026-Q3", "2026-08", "2026-09", "Quý III năm 2026")]
    [InlineData("2026-Q4", "2026-10", "2026-12", "Quý IV năm 2026")]
    [InlineData("2026-H2", "2026-08", "2026-12", "6 tháng cuối năm 2026")]
    [InlineData("2027-H1", "2027-01", "2027-06", "6 tháng đầu năm 2027")]
    [InlineData("2026", "2026-08", "2026-12", "Năm 2026")]
    public void Range_Parses_ClippedToTheFirstPeriodOnTheSystem(string text, string from, string to, string vietnamese)
    {
        Assert.True(ReportRange.TryParse(text, out var range, out _));
        Assert.Equal(from, range.From.ToString());
        Assert.Equal(to, range.To.ToString());
        Assert.Equal(vietnamese, range.ToVietnamese());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-13")]
    [InlineData("2026-Q5")]
    [InlineData("2026-H3")]
    [InlineData("2026-Q1")]
    [InlineData("2025")]
    [InlineData("26-08")]
    [InlineData("2026/08")]
    [InlineData("2101")]
    [InlineData("2026-08-01")]
    public void Range_IsRefused_WhenMalformedOrBeforeTheSystem(string? text) =>
        Assert.False(ReportRange.TryParse(text, out _, out _));

    private static List<List<string>> ReadXlsx(byte[] xlsx)
    {
        using var package = SpreadsheetDocument.Open(new MemoryStream(xlsx), false);
        var sheet = package.WorkbookPart!.WorksheetParts.Single().Worksheet;
        return [.. sheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c => c.DataType?.Value == CellValues.InlineString
            ? c.InlineString!.InnerText
            : c.CellValue?.Text ?? "").ToList())];
    }

    private static void Golden(string name, string actual, [CallerFilePath] string here = "")
    {
        string path = Path.Combine(Path.GetDirectoryName(here)!, "..", "Golden", name);
        if (Environment.GetEnvironmentVariable("FEES_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual, new UTF8Encoding(false));
            return;
        }
        Assert.True(File.Exists(path), $"{path} is missing: run with FEES_UPDATE_GOLDEN=1 once and review it.");
        Assert.Equal(File.ReadAllText(path, Encoding.UTF8).ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));
    }

    internal static async Task<string> PdfText(byte[] pdf)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fees-report-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-layout", "-enc", "UTF-8", path, "-"])
            {
                RedirectStandardOutput = true,
                StandardOutputEncoding = Encoding.UTF8,
            })!;
            string text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
            // Trailing blanks vary with nothing in the document; one line per printed line is what the golden file keeps.
            return string.Join('\n', text.Split('\n').Select(l => TrailingBlanks().Replace(l, ""))).Trim() + "\n";
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex(@"\s+$")]
    private static partial Regex TrailingBlanks();
}

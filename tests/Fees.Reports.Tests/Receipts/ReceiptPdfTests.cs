using System.Diagnostics;
using System.Text;
using Fees.Domain.Amounts;
using Fees.Domain.Receipts;
using Fees.Domain.Time;
using Fees.Reports.Receipts;

namespace Fees.Reports.Tests.Receipts;

/// <summary>
/// The printed receipt, read back by poppler's <c>pdftotext</c> (what a person would copy out of it) and its QR code by
/// zbar after poppler rasterises the page (what a phone would scan).
/// </summary>
public sealed class ReceiptPdfTests
{
    private const string Url = "https://dangphi.example.vn/bien-lai/xac-minh/HN.X001.B01.C01/2026/0000123?s=MEUCIQDx9aP7vI0bqzXhQm3f2nE1kLrS8tYwVbN5cO4dJ6eA1gIgR2p_T7uKxZ3yW9vB0nC5mD8fE6hJ4kL1qS-aF2gH";

    internal static PaymentReceipt Sample(long credit = 0) =>
        PaymentReceipt.Create(ReceiptNumber.Of("HN.X001.B01.C01", 2026, 123), "Chi bộ Thôn Đông", "Đảng ủy xã An Hòa",
            "0175365500", "Trịnh Minh Hồng",
            [new PeriodPayment(Period.Of(2026, 8), Money.Vnd(27_378)), new PeriodPayment(Period.Of(2026, 9), Money.Vnd(27_378))],
            Money.Vnd(credit), PaymentMethod.Bank, PaymentMethodCodes.SystemCollector, new DateOnly(2026, 12, 2),
            new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Pdf_ReadsBackWithTheVietnameseHeadings_AndTheAmountInWords()
    {
        string text = await PdfText(ReceiptPdf.Render(Sample(), Url));

        Assert.Contains("BIÊN LAI THU ĐẢNG PHÍ", text, StringComparison.Ordinal);
        Assert.Contains("ĐẢNG CỘNG SẢN VIỆT NAM", text, StringComparison.Ordinal);
        Assert.Contains("ĐẢNG ỦY XÃ AN HÒA", text, StringComparison.Ordinal);
        Assert.Contains("CHI BỘ THÔN ĐÔNG", text, StringComparison.Ordinal);
        Assert.Contains("Số: 0000123/2026/HN.X001.B01.C01", text, StringComparison.Ordinal);
        Assert.Contains("Trịnh Minh Hồng", text, StringComparison.Ordinal);
        Assert.Contains("0175365500", text, StringComparison.Ordinal);
        Assert.Contains("tháng 8/2026 (27.378 đ), tháng 9/2026 (27.378 đ)", text, StringComparison.Ordinal);
        Assert.Contains("54.756 đ", text, StringComparison.Ordinal);
        Assert.Contains("Năm mươi tư nghìn bảy trăm năm mươi sáu đồng", text, StringComparison.Ordinal);
        Assert.Contains("Chuyển khoản", text, StringComparison.Ordinal);
        Assert.Contains("Ngày thu:", text, StringComparison.Ordinal);
        Assert.Contains("02/12/2026", text, StringComparison.Ordinal);
        Assert.Contains("Hệ thống thu đảng phí", text, StringComparison.Ordinal);
        Assert.Contains("Xác minh biên lai tại:", text, StringComparison.Ordinal);
        // The address is broken across lines to fit; joined again it is the whole address.
        Assert.Contains(Url, text.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pdf_PrintsTheCreditPaidAhead_WhenThereIsOne()
    {
        string text = await PdfText(ReceiptPdf.Render(Sample(credit: 1_000), Url));
        Assert.Contains("Nộp trước (các kỳ sau):", text, StringComparison.Ordinal);
        Assert.Contains("55.756 đ", text, StringComparison.Ordinal);
        Assert.Contains("Năm mươi lăm nghìn bảy trăm năm mươi sáu đồng", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pdf_IsTheSameBytes_EveryTime_AndEmbedsDejaVuSubsets()
    {
        byte[] first = ReceiptPdf.Render(Sample(), Url);
        byte[] second = ReceiptPdf.Render(Sample(), Url);
        Assert.Equal(first, second);
        Assert.True(first.Length < 150_000, $"{first.Length} bytes");
        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(first, 0, 5), StringComparison.Ordinal);
        string raw = Encoding.Latin1.GetString(first);
        Assert.Contains("DejaVuSans", raw, StringComparison.Ordinal);
        Assert.Contains("/FontFile2", raw, StringComparison.Ordinal);
        Assert.Contains("D:20261202030000", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pdf_NeedsOnlyTheFontsOfFontsDejaVuCore()
    {
        // Debian's fonts-dejavu-core (what .ci/run installs) has these three; the oblique face is in fonts-dejavu-extra.
        string dir = Directory.CreateTempSubdirectory("receipt-fonts-").FullName;
        foreach (string file in new[] { "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf" })
        {
            File.Copy(Path.Combine(ReceiptFonts.DejaVuDirectory, file), Path.Combine(dir, file));
        }
        using var fonts = ReceiptFonts.FromDirectory(dir);
        string text = await PdfText(ReceiptPdf.Render(Sample(), Url, fonts));
        Assert.Contains("Năm mươi tư nghìn bảy trăm năm mươi sáu đồng", text, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => ReceiptFonts.FromDirectory(Path.Combine(dir, "missing")));
    }

    [Fact]
    public async Task QrCode_OnThePage_ScansToTheVerificationAddress()
    {
        string dir = Directory.CreateTempSubdirectory("receipt-pdf-").FullName;
        string pdf = Path.Combine(dir, "bien-lai.pdf");
        await File.WriteAllBytesAsync(pdf, ReceiptPdf.Render(Sample(), Url));
        await Run("pdftoppm", $"-r 200 -png -singlefile {pdf} {Path.Combine(dir, "page")}");
        string decoded = await Run("zbarimg", $"--quiet --raw {Path.Combine(dir, "page.png")}");
        Assert.Equal(Url, decoded.Trim());
    }

    internal static async Task<string> PdfText(byte[] pdf)
    {
        string path = Path.Combine(Path.GetTempPath(), $"receipt-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            // Lines as laid out, then one space for any run of blanks and line breaks: a value wrapped onto the next line reads on.
            string text = await Run("pdftotext", $"-layout -enc UTF-8 {path} -");
            return System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<string> Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        }) ?? throw new InvalidOperationException(program + " did not start");
        string output = await process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {arguments}: exit {process.ExitCode}: {error}");
        return output;
    }
}

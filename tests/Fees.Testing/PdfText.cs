using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Fees.Testing;

/// <summary>A PDF read back as a person would copy it out: poppler's <c>pdftotext</c> (Debian's <c>poppler-utils</c>).</summary>
public static partial class PdfText
{
    /// <summary>The text in layout order, every run of blanks and line breaks made one space (a wrapped value reads on).</summary>
    public static async Task<string> Of(byte[] pdf)
    {
        string path = Path.Combine(Path.GetTempPath(), $"fees-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-layout", "-enc", "UTF-8", path, "-"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = Encoding.UTF8,
            }) ?? throw new InvalidOperationException("pdftotext did not start (apt-get install poppler-utils)");
            string text = await process.StandardOutput.ReadToEndAsync();
            string error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"pdftotext failed ({process.ExitCode}): {error}");
            }
            return Blanks().Replace(text, " ");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The verification address a receipt prints after "Xác minh biên lai tại:" (written over several lines).</summary>
    public static string VerificationUrl(string receiptText)
    {
        ArgumentNullException.ThrowIfNull(receiptText);
        var match = PrintedUrl().Match(receiptText);
        if (!match.Success)
        {
            throw new InvalidOperationException("The receipt prints no verification address.");
        }
        return match.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Blanks();

    [GeneratedRegex(@"Xác minh biên lai tại: (https?://.+?) Quét mã QR")]
    private static partial Regex PrintedUrl();
}

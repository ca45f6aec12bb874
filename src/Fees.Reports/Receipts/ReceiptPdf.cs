using System.Globalization;
using Fees.Domain.Receipts;
using Fees.Domain.Time;
using QRCoder;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace Fees.Reports.Receipts;

/// <summary>
/// The printable receipt (biên lai thu đảng phí): one A5 page in Vietnamese, laid out like a party document (the
/// organizations at the top left, "ĐẢNG CỘNG SẢN VIỆT NAM" at the top right), with the QR code of its verification
/// address and that address written out beside it.
/// </summary>
/// <remarks>
/// Text is shaped by HarfBuzz in DejaVu Sans, embedded (subset) in the PDF, so every diacritic prints and copies back
/// out as text. The output is a pure function of the receipt and the address: the PDF's dates are the receipt's issue
/// time, and nothing else varies between runs (no clock, no random document id).
/// </remarks>
public static class ReceiptPdf
{
    public const string ContentType = "application/pdf";

    /// <summary>A5 portrait, in PDF points (148 × 210 mm).</summary>
    public const float PageWidth = 419.53f, PageHeight = 595.28f;

    private const float Margin = 34f;
    private const float ContentWidth = PageWidth - (2 * Margin);

    private static readonly SKColor Ink = new(0x11, 0x11, 0x11);
    private static readonly SKColor Red = new(0xB0, 0x1C, 0x1C);
    private static readonly SKColor Muted = new(0x55, 0x55, 0x55);

    /// <summary>Renders the receipt; <paramref name="verificationUrl"/> is the absolute address its QR code opens.</summary>
    public static byte[] Render(PaymentReceipt receipt, string verificationUrl, ReceiptFonts? fonts = null)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentException.ThrowIfNullOrWhiteSpace(verificationUrl);
        fonts ??= ReceiptFonts.Default;

        var issuedUtc = receipt.IssuedAt.UtcDateTime;
        using var output = new MemoryStream();
        using (var stream = new SKManagedWStream(output))
        using (var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata
        {
            Title = "Biên lai thu đảng phí số " + receipt.Number,
            Subject = "Biên lai thu đảng phí",
            Creator = "PartyTTHC Fees",
            Producer = "PartyTTHC Fees",
            // UTC kind: SkiaSharp derives the PDF date's offset from it, which must not depend on the machine's zone.
            Creation = DateTime.SpecifyKind(issuedUtc, DateTimeKind.Utc),
            Modified = DateTime.SpecifyKind(issuedUtc, DateTimeKind.Utc),
            RasterDpi = 300,
        }))
        {
            // First pass draws nowhere and notes what each face draws; the PDF then embeds only those glyphs.
            var drawn = new Dictionary<SKTypeface, System.Text.StringBuilder>();
            using (var probe = new SKNoDrawCanvas((int)PageWidth, (int)PageHeight))
            using (var page = new Page(probe, fonts, drawn))
            {
                page.Draw(receipt, verificationUrl);
            }
            using var subset = fonts.SubsetFor(face => drawn.TryGetValue(face, out var text) ? text.ToString() : "");
            using (var canvas = document.BeginPage(PageWidth, PageHeight))
            using (var page = new Page(canvas, subset, null))
            {
                page.Draw(receipt, verificationUrl);
            }
            document.EndPage();
            document.Close();
        }
        return output.ToArray();
    }

    /// <summary>A phrase that must not break across lines (an amount and its "đ"): its spaces become no-break spaces.</summary>
    private static string Keep(string phrase) => phrase.Replace(' ', '\u00A0');

    /// <summary>Vietnam-time date as receipts write it: <c>02/12/2026</c>.</summary>
    internal static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>One page being drawn. HarfBuzz shapers are made per render (not shared between threads) and disposed with it.</summary>
    private sealed class Page(SKCanvas canvas, ReceiptFonts fonts, Dictionary<SKTypeface, System.Text.StringBuilder>? drawn) : IDisposable
    {
        private readonly Dictionary<SKTypeface, SKShaper> _shapers = [];
        private float _y = Margin;

        public void Dispose()
        {
            foreach (var shaper in _shapers.Values)
            {
                shaper.Dispose();
            }
        }

        private SKShaper Shaper(SKTypeface face)
        {
            if (!_shapers.TryGetValue(face, out var shaper))
            {
                _shapers[face] = shaper = new SKShaper(face);
            }
            return shaper;
        }

        public void Draw(PaymentReceipt r, string url)
        {
            var issued = VietnamTime.ToVietnam(r.IssuedAt);
            Heading(r, issued);
            _y += 22;
            Centered("BIÊN LAI THU ĐẢNG PHÍ", TextStyle.Bold, 15.5f, Red);
            _y += 4;
            Centered("Số: " + r.Number, TextStyle.Regular, 10f, Ink);
            _y += 16;

            Field("Họ và tên đảng viên:", r.MemberName, TextStyle.Bold);
            Field("Số thẻ đảng viên:", r.MemberNo, TextStyle.Regular);
            Field("Nộp đảng phí:", r.Periods.Count == 0
                ? "nộp trước cho các kỳ sau"
                : string.Join(", ", r.Periods.Select(p => $"{p.Period.ToDisplayString()} ({Keep(p.Amount.ToDisplayString())})")), TextStyle.Regular);
            if (r.Credit.IsPositive && r.Periods.Count > 0)
            {
                Field("Nộp trước (các kỳ sau):", r.Credit.ToDisplayString(), TextStyle.Regular);
            }
            Field("Số tiền:", r.Amount.ToDisplayString(), TextStyle.Bold);
            Field("Bằng chữ:", r.AmountInWords, TextStyle.Italic);
            Field("Hình thức nộp:", r.Method.ToVietnamese(), TextStyle.Regular);
            Field("Ngày thu:", Date(r.CollectedOn), TextStyle.Regular);
            Field("Người thu:", r.Collector, TextStyle.Regular);

            _y += 10;
            Signature(r, issued);
            Verification(url, issued);
        }

        /// <summary>Organizations top left (the one above, then the receiving one, then the star), the Party top right.</summary>
        private void Heading(PaymentReceipt r, DateTimeOffset issued)
        {
            float leftWidth = ContentWidth * 0.5f, rightX = Margin + leftWidth + 8, rightWidth = ContentWidth - leftWidth - 8;
            float top = _y, y = top;
            if (r.ParentOrgName is { } parent)
            {
                y = Wrapped(parent.ToUpperInvariant(), TextStyle.Regular, 8.5f, Ink, Margin, leftWidth, y, center: true);
            }
            y = Wrapped(r.OrgName.ToUpperInvariant(), TextStyle.Bold, 8.5f, Ink, Margin, leftWidth, y, center: true);
            y = Wrapped("*", TextStyle.Regular, 8.5f, Ink, Margin, leftWidth, y, center: true);

            float ry = Wrapped("ĐẢNG CỘNG SẢN VIỆT NAM", TextStyle.Bold, 9.5f, Red, rightX, rightWidth, top, center: true);
            float lineWidth = Measure("ĐẢNG CỘNG SẢN VIỆT NAM", TextStyle.Bold, 9.5f);
            using (var rule = new SKPaint { Color = Red, StrokeWidth = 0.6f, IsAntialias = true })
            {
                float cx = rightX + (rightWidth / 2);
                canvas.DrawLine(cx - (lineWidth / 2), ry + 1, cx + (lineWidth / 2), ry + 1, rule);
            }
            ry += 6;
            string day = string.Create(CultureInfo.InvariantCulture, $"ngày {issued.Day:D2} tháng {issued.Month:D2} năm {issued.Year}");
            ry = Wrapped(day, TextStyle.Italic, 8.5f, Ink, rightX, rightWidth, ry, center: true);
            _y = Math.Max(y, ry);
        }

        private void Field(string label, string value, TextStyle valueFace)
        {
            const float size = 9.5f, labelWidth = 112f;
            Text(label, TextStyle.Regular, size, Muted, Margin, _y + Ascent(TextStyle.Regular, size));
            _y = Wrapped(value, valueFace, size, Ink, Margin + labelWidth, ContentWidth - labelWidth, _y, center: false) + 5;
        }

        private void Signature(PaymentReceipt r, DateTimeOffset issued)
        {
            float x = Margin + (ContentWidth * 0.5f), width = ContentWidth * 0.5f;
            _y = Wrapped("NGƯỜI THU", TextStyle.Bold, 9.5f, Ink, x, width, _y, center: true);
            _y = Wrapped("(Biên lai điện tử, có chữ ký số của hệ thống)", TextStyle.Italic, 7.5f, Muted, x, width, _y + 1, center: true);
            _y = Wrapped(r.Collector, TextStyle.Bold, 9.5f, Ink, x, width, _y + 4, center: true);
            _y = Wrapped(string.Create(CultureInfo.InvariantCulture, $"Lập lúc {issued:HH:mm} ngày {Date(DateOnly.FromDateTime(issued.DateTime))}"),
                TextStyle.Regular, 7.5f, Muted, x, width, _y + 1, center: true);
        }

        /// <summary>The QR code at the bottom left, the address it opens and how to check the receipt beside it.</summary>
        private void Verification(string url, DateTimeOffset issued)
        {
            const float qrSize = 104f;
            float top = Math.Max(_y + 12, PageHeight - Margin - qrSize);
            using (var rule = new SKPaint { Color = new SKColor(0xCC, 0xCC, 0xCC), StrokeWidth = 0.5f })
            {
                canvas.DrawLine(Margin, top - 6, PageWidth - Margin, top - 6, rule);
            }
            var qrRect = SKRect.Create(Margin - 4, top, qrSize, qrSize);
            Qr(url, qrRect);
            canvas.DrawUrlAnnotation(qrRect, url);

            float x = qrRect.Right + 8, width = PageWidth - Margin - x;
            float y = Wrapped("Xác minh biên lai tại:", TextStyle.Bold, 8.5f, Ink, x, width, top + 4, center: false);
            float urlTop = y;
            y = WrappedChars(url, TextStyle.Mono, 7f, Ink, x, width, y + 1);
            canvas.DrawUrlAnnotation(SKRect.Create(x, urlTop, width, y - urlTop), url);
            Wrapped("Quét mã QR hoặc mở địa chỉ trên: trang xác minh cho biết biên lai có đúng do hệ thống phát hành hay không. " +
                "Biên lai được ký điện tử; sửa bất kỳ chi tiết nào, kể cả một chữ số của số biên lai, chữ ký sẽ không còn hợp lệ.",
                TextStyle.Regular, 7f, Muted, x, width, y + 4, center: false);
        }

        /// <summary>The QR code's dark modules as filled rectangles (one per run in a row): vector, sharp at any zoom.</summary>
        private void Qr(string text, SKRect rect)
        {
            using var data = QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
            var matrix = data.ModuleMatrix; // includes the 4-module quiet zone
            int n = matrix.Count;
            float module = rect.Width / n;
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = false, Style = SKPaintStyle.Fill };
            for (int row = 0; row < n; row++)
            {
                int col = 0;
                while (col < n)
                {
                    if (!matrix[row][col])
                    {
                        col++;
                        continue;
                    }
                    int start = col;
                    while (col < n && matrix[row][col])
                    {
                        col++;
                    }
                    canvas.DrawRect(SKRect.Create(rect.Left + (start * module), rect.Top + (row * module), (col - start) * module, module), paint);
                }
            }
        }

        private void Centered(string text, TextStyle face, float size, SKColor color) =>
            _y = Wrapped(text, face, size, color, Margin, ContentWidth, _y, center: true);

        /// <summary>Word-wrapped text from <paramref name="top"/>; returns the y below its last line.</summary>
        private float Wrapped(string text, TextStyle face, float size, SKColor color, float x, float width, float top, bool center)
        {
            float lineHeight = size * 1.3f, y = top;
            foreach (string line in Lines(text, face, size, width))
            {
                float lx = center ? x + ((width - Measure(line, face, size)) / 2) : x;
                Text(line, face, size, color, lx, y + Ascent(face, size));
                y += lineHeight;
            }
            return y;
        }

        /// <summary>Text broken anywhere (an address has no spaces to break at); returns the y below it.</summary>
        private float WrappedChars(string text, TextStyle face, float size, SKColor color, float x, float width, float top)
        {
            float lineHeight = size * 1.3f, y = top;
            int start = 0;
            while (start < text.Length)
            {
                int end = start + 1;
                while (end < text.Length && Measure(text[start..(end + 1)], face, size) <= width)
                {
                    end++;
                }
                Text(text[start..end], face, size, color, x, y + Ascent(face, size));
                y += lineHeight;
                start = end;
            }
            return y;
        }

        private IEnumerable<string> Lines(string text, TextStyle face, float size, float width)
        {
            var line = "";
            foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = line.Length == 0 ? word : line + " " + word;
                if (line.Length > 0 && Measure(candidate, face, size) > width)
                {
                    yield return line;
                    line = word;
                }
                else
                {
                    line = candidate;
                }
            }
            if (line.Length > 0)
            {
                yield return line;
            }
        }

        private void Note(TextStyle face, string text)
        {
            if (drawn is not null)
            {
                var typeface = fonts.Typeface(face);
                if (!drawn.TryGetValue(typeface, out var all))
                {
                    drawn[typeface] = all = new System.Text.StringBuilder();
                }
                all.Append(text);
            }
        }

        private void Text(string text, TextStyle face, float size, SKColor color, float x, float baseline)
        {
            Note(face, text);
            using var font = Font(face, size);
            using var paint = new SKPaint { Color = color, IsAntialias = true };
            canvas.DrawShapedText(Shaper(fonts.Typeface(face)), text, x, baseline, font, paint);
        }

        /// <summary>The font of a style; italic is DejaVu Sans slanted (Debian's core fonts have no oblique face).</summary>
        private SKFont Font(TextStyle face, float size) =>
            new(fonts.Typeface(face), size) { Subpixel = true, Edging = SKFontEdging.Antialias, SkewX = face == TextStyle.Italic ? -0.2f : 0f };

        private float Measure(string text, TextStyle face, float size)
        {
            Note(face, text);
            using var font = Font(face, size);
            return Shaper(fonts.Typeface(face)).Shape(text, font).Width;
        }

        private float Ascent(TextStyle face, float size)
        {
            using var font = Font(face, size);
            return -font.Metrics.Ascent;
        }
    }
}

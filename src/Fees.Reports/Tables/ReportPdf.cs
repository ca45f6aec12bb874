using System.Text;
using Fees.Reports.Receipts;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace Fees.Reports.Tables;

/// <summary>
/// A report as a pdf: A4 landscape pages headed like a party document (the organization top left, "ĐẢNG CỘNG SẢN VIỆT
/// NAM" top right), the form and title, then each section as a ruled table (text wraps, numbers right-aligned in the
/// Vietnamese format 1.234.567), the chart if the report has one, and the notes. Text is shaped by HarfBuzz in DejaVu Sans,
/// embedded as a subset, so every diacritic prints and copies back out. The document's dates are the report's own date.
/// </summary>
public static class ReportPdf
{
    public const string ContentType = "application/pdf";

    /// <summary>A4 landscape in PDF points.</summary>
    public const float PageWidth = 841.89f, PageHeight = 595.28f;

    private const float Margin = 36f, FontSize = 8f, HeadSize = 8f, Pad = 3f, LineGap = 2.5f;
    private const float ContentWidth = PageWidth - (2 * Margin);
    private static readonly SKColor Ink = new(0x11, 0x11, 0x11), Red = new(0xB0, 0x1C, 0x1C), Muted = new(0x55, 0x55, 0x55), Shade = new(0xEE, 0xEE, 0xEE);

    public static byte[] Write(ReportDocument doc, ReceiptFonts? fonts = null)
    {
        ArgumentNullException.ThrowIfNull(doc);
        fonts ??= ReceiptFonts.Default;
        var when = doc.AsOf.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        using var output = new MemoryStream();
        using (var stream = new SKManagedWStream(output))
        using (var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata
        {
            Title = $"{doc.Form} {doc.Title}",
            Subject = doc.Title,
            Creator = "PartyTTHC Fees",
            Producer = "PartyTTHC Fees",
            Creation = when,
            Modified = when,
            RasterDpi = 300,
        }))
        {
            // First pass draws nowhere and notes what each face draws; the pdf then embeds only those glyphs.
            var drawn = new Dictionary<SKTypeface, StringBuilder>();
            using (var probe = new SKNoDrawCanvas((int)PageWidth, (int)PageHeight))
            {
                using var layout = new Layout(fonts, drawn, () => probe, () => { });
                layout.Draw(doc);
            }
            using var subset = fonts.SubsetFor(face => drawn.TryGetValue(face, out var text) ? text.ToString() : "");
            using (var layout = new Layout(subset, null, () => document.BeginPage(PageWidth, PageHeight), document.EndPage))
            {
                layout.Draw(doc);
            }
            document.Close();
        }
        return output.ToArray();
    }

    private sealed class Layout(ReceiptFonts fonts, Dictionary<SKTypeface, StringBuilder>? drawn, Func<SKCanvas> beginPage, Action endPage) : IDisposable
    {
        private readonly Dictionary<SKTypeface, SKShaper> _shapers = [];
        private SKCanvas _canvas = null!;
        private float _y;
        private int _page;
        private ReportDocument _doc = null!;

        public void Dispose()
        {
            foreach (var shaper in _shapers.Values)
            {
                shaper.Dispose();
            }
        }

        public void Draw(ReportDocument doc)
        {
            _doc = doc;
            NewPage();
            Heading();
            foreach (var section in doc.Sections)
            {
                Table(section);
            }
            if (doc.Chart is { } chart)
            {
                Chart(chart);
            }
            if (doc.Notes.Count > 0)
            {
                _y += 6;
                foreach (var note in doc.Notes)
                {
                    Need(FontSize * 3);
                    _y = Wrapped("Ghi chú: " + note, TextStyle.Italic, 7.5f, Muted, Margin, ContentWidth, _y, Align.Left) + 2;
                }
            }
            Signature();
            endPage();
        }

        private void NewPage()
        {
            if (_page > 0)
            {
                endPage();
            }
            _canvas = beginPage();
            _page++;
            _y = Margin;
            string footer = $"{_doc.Form} · {_doc.OrgCode} · {_doc.RangeText} · trang {_page}";
            Text(footer, TextStyle.Regular, 7f, Muted, Margin, PageHeight - (Margin / 2));
        }

        private void Need(float height)
        {
            if (_y + height > PageHeight - Margin)
            {
                NewPage();
            }
        }

        private void Heading()
        {
            float half = ContentWidth / 2;
            float left = Wrapped(_doc.OrgName.ToUpperInvariant(), TextStyle.Bold, 9f, Ink, Margin, half - 20, _y, Align.Center);
            left = Wrapped("Mã đơn vị: " + _doc.OrgCode, TextStyle.Regular, 8f, Ink, Margin, half - 20, left, Align.Center);
            float right = Wrapped("ĐẢNG CỘNG SẢN VIỆT NAM", TextStyle.Bold, 10f, Red, Margin + half, half, _y, Align.Center);
            right = Wrapped("Lập theo số liệu đến ngày " + ReportFormat.Date(_doc.AsOf), TextStyle.Italic, 8f, Ink, Margin + half, half, right + 3, Align.Center);
            _y = Math.Max(left, right) + 14;
            _y = Wrapped(_doc.Title.ToUpperInvariant(), TextStyle.Bold, 13f, Red, Margin, ContentWidth, _y, Align.Center);
            _y = Wrapped(_doc.Form + " · " + _doc.RangeText, TextStyle.Regular, 9f, Ink, Margin, ContentWidth, _y + 2, Align.Center) + 10;
        }

        private void Table(ReportSection section)
        {
            float[] widths = Widths(section);
            if (section.Heading is { } heading)
            {
                Need(40);
                _y = Wrapped(heading, TextStyle.Bold, 9.5f, Ink, Margin, ContentWidth, _y, Align.Left) + 3;
            }
            void HeaderRow()
            {
                Row(section.Columns.Select(c => c.Heading).ToList(), widths, section.Columns.Select(_ => Align.Center).ToList(), TextStyle.Bold, Shade);
            }
            Need(30);
            HeaderRow();
            for (int i = 0; i < section.Rows.Count; i++)
            {
                var row = section.Rows[i];
                var texts = row.Select((cell, c) => ReportFormat.Display(cell, section.Columns[c].Kind)).ToList();
                var aligns = row.Select(cell => cell.Number is null ? Align.Left : Align.Right).ToList();
                float height = RowHeight(texts, widths, TextStyle.Regular);
                if (_y + height > PageHeight - Margin)
                {
                    NewPage();
                    HeaderRow();
                }
                Row(texts, widths, aligns, section.TotalRows.Contains(i) ? TextStyle.Bold : TextStyle.Regular, null);
            }
            _y += 10;
        }

        /// <summary>Each column as wide as its widest word or number needs, the rest shared by the text columns.</summary>
        private float[] Widths(ReportSection section)
        {
            int n = section.Columns.Count;
            var min = new float[n];
            var want = new float[n];
            for (int c = 0; c < n; c++)
            {
                var kind = section.Columns[c].Kind;
                var cells = section.Rows.Select(r => ReportFormat.Display(r[c], kind)).ToList();
                float longestWord = section.Columns[c].Heading.Split(' ').Concat(cells.SelectMany(t => t.Split(' ')))
                    .Max(w => Measure(w, TextStyle.Bold, FontSize));
                min[c] = longestWord + (2 * Pad);
                float full = cells.Count == 0 ? 0 : cells.Max(t => Measure(t, TextStyle.Bold, FontSize));
                want[c] = Math.Max(min[c], Math.Min(full + (2 * Pad), kind == ColumnKind.Text ? 260 : 110));
                want[c] = Math.Max(want[c], Math.Min(Measure(section.Columns[c].Heading, TextStyle.Bold, HeadSize) / 2, 90) + (2 * Pad));
            }
            float total = want.Sum();
            if (total <= ContentWidth)
            {
                float spare = ContentWidth - total;
                float textWant = Enumerable.Range(0, n).Where(c => section.Columns[c].Kind == ColumnKind.Text).Sum(c => want[c]);
                for (int c = 0; c < n; c++)
                {
                    want[c] += textWant > 0
                        ? (section.Columns[c].Kind == ColumnKind.Text ? spare * want[c] / textWant : 0)
                        : spare / n;
                }
                return want;
            }
            float minTotal = min.Sum();
            float scale = minTotal >= ContentWidth ? ContentWidth / minTotal : 1;
            float room = Math.Max(0, ContentWidth - minTotal);
            float extra = total - minTotal;
            return [.. Enumerable.Range(0, n).Select(c => scale < 1 ? min[c] * scale : min[c] + (extra <= 0 ? 0 : room * (want[c] - min[c]) / extra))];
        }

        private float RowHeight(IReadOnlyList<string> texts, float[] widths, TextStyle style) =>
            texts.Select((t, c) => Lines(t, style, FontSize, widths[c] - (2 * Pad)).Count).Max() * (FontSize + LineGap) + (2 * Pad);

        private void Row(IReadOnlyList<string> texts, float[] widths, IReadOnlyList<Align> aligns, TextStyle style, SKColor? fill)
        {
            float height = RowHeight(texts, widths, style);
            float x = Margin;
            using var line = new SKPaint { Color = new SKColor(0x88, 0x88, 0x88), StrokeWidth = 0.5f, IsStroke = true };
            for (int c = 0; c < texts.Count; c++)
            {
                var rect = SKRect.Create(x, _y, widths[c], height);
                if (fill is { } f)
                {
                    using var paint = new SKPaint { Color = f };
                    _canvas.DrawRect(rect, paint);
                }
                _canvas.DrawRect(rect, line);
                Wrapped(texts[c], style, FontSize, Ink, x + Pad, widths[c] - (2 * Pad), _y + Pad, aligns[c]);
                x += widths[c];
            }
            _y += height;
        }

        private void Chart(ChartData chart)
        {
            Need(300);
            _y = Wrapped(chart.Title, TextStyle.Bold, 9.5f, Ink, Margin, ContentWidth, _y, Align.Center) + 4;
            float height = 260, width = Math.Min(ContentWidth, 640);
            CompletionChart.Draw(chart, _canvas, SKRect.Create(Margin + ((ContentWidth - width) / 2), _y, width, height));
            _y += height + 10;
        }

        private void Signature()
        {
            Need(60);
            float x = Margin + (ContentWidth * 0.6f), width = ContentWidth * 0.4f;
            _y += 8;
            _y = Wrapped("NGƯỜI LẬP BIỂU", TextStyle.Bold, 9f, Ink, x, width, _y, Align.Center);
            Wrapped("(Ký, ghi rõ họ tên)", TextStyle.Italic, 8f, Muted, x, width, _y + 1, Align.Center);
        }

        private SKShaper Shaper(SKTypeface face)
        {
            if (!_shapers.TryGetValue(face, out var shaper))
            {
                _shapers[face] = shaper = new SKShaper(face);
            }
            return shaper;
        }

        private SKFont Font(TextStyle style, float size) => new(fonts.Typeface(style), size) { SkewX = style == TextStyle.Italic ? -0.2f : 0, Subpixel = true };

        private float Measure(string text, TextStyle style, float size)
        {
            if (text.Length == 0)
            {
                return 0;
            }
            using var font = Font(style, size);
            var result = Shaper(font.Typeface).Shape(text, font);
            return result.Width;
        }

        private List<string> Lines(string text, TextStyle style, float size, float width)
        {
            var lines = new List<string>();
            foreach (string paragraph in text.Split('\n'))
            {
                string current = "";
                foreach (string word in paragraph.Split(' '))
                {
                    string candidate = current.Length == 0 ? word : current + " " + word;
                    if (current.Length > 0 && Measure(candidate, style, size) > width)
                    {
                        lines.Add(current);
                        current = word;
                    }
                    else
                    {
                        current = candidate;
                    }
                }
                lines.Add(current);
            }
            return lines;
        }

        private float Wrapped(string text, TextStyle style, float size, SKColor color, float x, float width, float top, Align align)
        {
            float y = top;
            foreach (string line in Lines(text, style, size, width))
            {
                float w = Measure(line, style, size);
                float lx = align switch { Align.Center => x + ((width - w) / 2), Align.Right => x + width - w, _ => x };
                Text(line, style, size, color, lx, y + size);
                y += size + LineGap;
            }
            return y;
        }

        private void Text(string text, TextStyle style, float size, SKColor color, float x, float baseline)
        {
            if (text.Length == 0)
            {
                return;
            }
            using var font = Font(style, size);
            if (drawn is not null)
            {
                if (!drawn.TryGetValue(font.Typeface, out var seen))
                {
                    drawn[font.Typeface] = seen = new StringBuilder();
                }
                seen.Append(text);
            }
            using var paint = new SKPaint { Color = color, IsAntialias = true };
            _canvas.DrawShapedText(Shaper(font.Typeface), text, x, baseline, SKTextAlign.Left, font, paint);
        }
    }

    private enum Align
    {
        Left,
        Center,
        Right,
    }
}

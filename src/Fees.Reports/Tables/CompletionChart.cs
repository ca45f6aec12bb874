using ScottPlot;
using SkiaSharp;

namespace Fees.Reports.Tables;

/// <summary>
/// The completion dashboard's bar chart (ScottPlot): one bar per organization, its share paid in percent. Labels are the
/// organizations' codes (ASCII, so any font draws them); the Vietnamese title is printed by the page or the pdf around it.
/// </summary>
public static class CompletionChart
{
    public static Plot Plot(ChartData chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var plot = new Plot();
        var bars = chart.Bars.Select((b, i) => new Bar
        {
            Position = i,
            Value = b.BasisPoints / 100.0,
            FillColor = new Color(0xB0, 0x1C, 0x1C),
            Label = (b.BasisPoints / 100m).ToString("0.0", ReportFormat.Vietnamese),
        }).ToList();
        var series = plot.Add.Bars(bars);
        series.ValueLabelStyle.FontSize = 11;
        plot.Axes.Bottom.SetTicks([.. chart.Bars.Select((_, i) => (double)i)], [.. chart.Bars.Select(b => b.Label)]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = chart.Bars.Count > 6 ? 45 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = chart.Bars.Count > 6 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        plot.Axes.Left.Label.Text = "%";
        plot.Axes.SetLimitsY(0, 110);
        plot.Axes.SetLimitsX(-0.7, Math.Max(chart.Bars.Count, 1) - 0.3);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        return plot;
    }

    public static byte[] Png(ChartData chart, int width = 800, int height = 360) => Plot(chart).GetImageBytes(width, height, ImageFormat.Png);

    /// <summary>Draws the chart into a rectangle of a Skia canvas (a pdf page): vectors, not an image.</summary>
    public static void Draw(ChartData chart, SKCanvas canvas, SKRect rect)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        var plot = Plot(chart);
        int save = canvas.Save();
        canvas.Translate(rect.Left, rect.Top);
        plot.Render(canvas, (int)rect.Width, (int)rect.Height);
        canvas.RestoreToCount(save);
    }
}

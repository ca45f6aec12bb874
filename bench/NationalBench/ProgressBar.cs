using System.Diagnostics;
using System.Globalization;

namespace Fees.Bench;

/// <summary>
/// A console progress bar for a long load: rows so far, rows/s, the estimated time left (from an estimate of the total
/// rows), and what is being done. Redrawn in place twice a second on a terminal; a plain line every 10 s when the
/// output is redirected to a file.
/// </summary>
internal sealed class ProgressBar : IAsyncDisposable
{
    private readonly long _estimatedTotal;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _rows;
    private string _phase = "";

    public ProgressBar(long estimatedTotal)
    {
        _estimatedTotal = Math.Max(1, estimatedTotal);
        _loop = Task.Run(async () =>
        {
            var every = TimeSpan.FromMilliseconds(Console.IsOutputRedirected ? 10_000 : 500);
            try
            {
                while (true)
                {
                    await Task.Delay(every, _stop.Token);
                    Draw(final: false);
                }
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        });
    }

    public long Rows => Interlocked.Read(ref _rows);

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Add(long rows) => Interlocked.Add(ref _rows, rows);

    public void Phase(string phase) => Volatile.Write(ref _phase, phase);

    private void Draw(bool final)
    {
        long rows = Rows;
        double seconds = Math.Max(0.001, _clock.Elapsed.TotalSeconds);
        double rate = rows / seconds;
        double fraction = final ? 1 : Math.Min(0.999, (double)rows / _estimatedTotal);
        const int width = 30;
        int filled = (int)(fraction * width);
        string eta = final ? "done" : rate > 0 ? "ETA " + Format(TimeSpan.FromSeconds(Math.Max(0, _estimatedTotal - rows) / rate)) : "ETA ?";
        string line = string.Create(CultureInfo.InvariantCulture,
            $"[{new string('#', filled)}{new string('.', width - filled)}] {fraction * 100,5:F1}%  {rows,12:N0} rows  {rate,9:N0} rows/s  {Format(_clock.Elapsed)} elapsed  {eta}  {Volatile.Read(ref _phase)}");
        if (Console.IsOutputRedirected)
        {
            Console.WriteLine(line);
        }
        else
        {
            Console.Write("\r" + line.PadRight(Math.Min(200, Math.Max(line.Length, Console.BufferWidth - 1))));
            if (final)
            {
                Console.WriteLine();
            }
        }
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1
        ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Draw(final: true);
        _stop.Dispose();
    }
}

using System.Globalization;
using System.Text;
using System.Threading.Channels;
using FakeBank.Banking;
using FakeBank.Configuration;
using FakeBank.Providers;
using FakeBank.Time;

namespace FakeBank.Delivery;

/// <summary>
/// The background worker that delivers webhooks: each job runs its copies (together or one after another), each copy
/// tries up to gaps+1 times, waiting the provider's gap × <c>retryScale</c> after a failed attempt. Non-2xx, no answer
/// and a timeout all count as failures. <see cref="CancelPending"/> (on reset) abandons everything still waiting.
/// </summary>
/// <remarks>
/// Gaps, <c>delayMs</c> and attempt times run on the <see cref="SchedulerClock"/> (real, or manual under
/// <c>--manual-clock</c>); an attempt's timeout is always real.
/// </remarks>
internal sealed partial class WebhookDispatcher : BackgroundService
{
    private const int ResponseBodyLimit = 4096;

    private readonly Channel<(DeliveryJob Job, CancellationToken Generation)> _jobs =
        Channel.CreateUnbounded<(DeliveryJob, CancellationToken)>();
    private readonly Ledger _ledger;
    private readonly SettingsStore _settings;
    private readonly BankClock _clock;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDispatcher> _logger;
    private readonly HttpClient _http;
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _running = [];
    private CancellationTokenSource _generation = new();
    private int _pending;

    public WebhookDispatcher(Ledger ledger, SettingsStore settings, BankClock clock, SchedulerClock scheduler, ILogger<WebhookDispatcher> logger)
    {
        _ledger = ledger;
        _settings = settings;
        _clock = clock;
        _time = scheduler.Time;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Jobs queued or running.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void Enqueue(DeliveryJob job)
    {
        Interlocked.Increment(ref _pending);
        CancellationToken generation;
        lock (_gate)
        {
            generation = _generation.Token;
        }
        // The generation is taken now, not when the worker dequeues, so a reset also abandons jobs still queued.
        if (!_jobs.Writer.TryWrite((job, generation)))
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Abandons every queued and waiting delivery (their chains end <c>cancelled</c>).</summary>
    public void CancelPending()
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            old = _generation;
            _generation = new CancellationTokenSource();
        }
        // Not disposed: queued jobs still hold its token, and a disposed source's token cannot be linked.
        old.Cancel();
    }

    public override void Dispose()
    {
        _http.Dispose();
        _generation.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (job, generation) in _jobs.Reader.ReadAllAsync(stoppingToken))
            {
                var run = RunJobAsync(job, generation, stoppingToken);
                lock (_gate)
                {
                    _running.Add(run);
                }
                _ = run.ContinueWith(t =>
                {
                    lock (_gate)
                    {
                        _running.Remove(t);
                    }
                }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        Task[] running;
        lock (_gate)
        {
            running = [.. _running];
        }
        await Task.WhenAll(running);
    }

    private async Task RunJobAsync(DeliveryJob job, CancellationToken generation, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(generation, stopping);
        var token = linked.Token;
        try
        {
            await Task.Yield();
            if (job.DelayMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(job.DelayMs), _time, token);
            }
            byte[] body = WebhookFormats.Body(job.Provider, job.Transaction, _settings.Current);
            if (job.Concurrent)
            {
                // Every copy's first attempt leaves at the same moment: the receiver sees them race.
                await Task.WhenAll(job.Chains.Select(chain => Task.Run(() => RunChainAsync(job, chain, body, token), token)));
            }
            else
            {
                foreach (var chain in job.Chains)
                {
                    await RunChainAsync(job, chain, body, token);
                }
            }
        }
        catch (OperationCanceledException)
        {
            foreach (var chain in job.Chains.Where(c => c.State == DeliveryChain.Scheduled))
            {
                _ledger.SetChainState(chain, DeliveryChain.Cancelled);
            }
        }
        catch (Exception ex)
        {
            LogJobFailed(_logger, ex, job.Provider.Name(), job.Transaction.Sequence);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    private async Task RunChainAsync(DeliveryJob job, DeliveryChain chain, byte[] body, CancellationToken token)
    {
        var provider = job.Provider;
        var gaps = _settings.Current.For(provider).RetryGapsMinutes ?? [];
        int maxAttempts = gaps.Count + 1;
        string transactionId = job.Transaction.IdFor(provider);
        string bodyText = Encoding.UTF8.GetString(body);
        for (int attempt = 1; attempt <= maxAttempts; attempt++)
        {
            token.ThrowIfCancellationRequested();
            var settings = _settings.Current;
            var providerSettings = settings.For(provider);
            if (string.IsNullOrEmpty(providerSettings.Url))
            {
                _ledger.SetChainState(chain, DeliveryChain.NoTarget);
                return;
            }
            var headers = WebhookFormats.Headers(provider, body, providerSettings, _clock.UtcNow);
            var headerMap = headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
            bool faulted = attempt <= job.FailFirst;
            var startedAt = _time.GetUtcNow();
            long started = _time.GetTimestamp();
            int? status = null;
            string? error = null;
            string? responseBody = null;
            string outcome;
            if (faulted && job.FailMode == "drop")
            {
                error = "fault: dropped before sending";
                outcome = "dropped";
            }
            else
            {
                (status, error, responseBody) = await SendAsync(providerSettings, headers, body, token);
                bool ok = status is >= 200 and < 300;
                outcome = faulted ? "ignored" : ok ? "delivered" : "failed";
                if (faulted)
                {
                    error = "fault: answer ignored" + (error is null ? "" : "; " + error);
                }
            }
            var duration = _time.GetElapsedTime(started);
            _ledger.Record(chain, id => new DeliveryAttempt(
                Id: id,
                Provider: provider.Name(),
                TransactionId: transactionId,
                BankReference: job.Transaction.BankReference,
                Sequence: job.Transaction.Sequence,
                Copy: chain.Copy,
                Attempt: attempt,
                Url: providerSettings.Url,
                StatusCode: status,
                Error: error,
                Outcome: outcome,
                StartedAt: startedAt,
                DurationMs: duration.TotalMilliseconds,
                RequestHeaders: headerMap,
                RequestBody: bodyText,
                ResponseBody: responseBody));
            if (outcome == "delivered")
            {
                _ledger.SetChainState(chain, DeliveryChain.Delivered);
                return;
            }
            if (attempt < maxAttempts)
            {
                // Read the scale now, so a test that changes it mid-run gets the new pace.
                // Whole ticks, rounded: a scaled minute is exact (0.001 → 60 ms), so a manual clock advanced by the
                // gap fires it.
                double minutes = gaps[attempt - 1];
                var wait = TimeSpan.FromTicks((long)Math.Round(minutes * _settings.Current.RetryScale * TimeSpan.TicksPerMinute));
                await Task.Delay(wait, _time, token);
            }
        }
        _ledger.SetChainState(chain, DeliveryChain.GaveUp);
    }

    private async Task<(int? Status, string? Error, string? Body)> SendAsync(
        ProviderSettings settings, List<KeyValuePair<string, string>> headers, byte[] body, CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds ?? 30));
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            string text = await ReadLimitedAsync(response, timeout.Token);
            return ((int)response.StatusCode, null, text);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"timeout after {settings.TimeoutSeconds ?? 30} s"), null);
        }
        catch (HttpRequestException ex)
        {
            return (null, ex.Message, null);
        }
    }

    private static async Task<string> ReadLimitedAsync(HttpResponseMessage response, CancellationToken token)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(token);
        var buffer = new byte[ResponseBodyLimit];
        int total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), token)) > 0)
        {
            total += read;
        }
        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery job for {Provider} transaction {Sequence} failed")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string provider, long sequence);
}

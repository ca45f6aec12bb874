using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FakeBank.Tests.Infrastructure;

/// <summary>One request the receiver got.</summary>
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A small Kestrel server on 127.0.0.1:0 standing in for the fees service: it records every POST with its raw body and
/// answers as scripted per path (statuses in order, then 200; optionally holding each answer).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, Script> _scripts = new(StringComparer.Ordinal);
    private int _inFlight;
    private int _maxInFlight;

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Most requests the receiver was answering at one time.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address + "/");
        return receiver;
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>The next requests to <paramref name="path"/> get these statuses in turn, later ones 200.</summary>
    public void Answer(string path, params int[] statuses) =>
        _scripts[path] = _scripts.GetValueOrDefault(path, new Script()) with { Statuses = new ConcurrentQueue<int>(statuses) };

    /// <summary>Every answer to <paramref name="path"/> waits this long first.</summary>
    public void Hold(string path, TimeSpan hold) =>
        _scripts[path] = _scripts.GetValueOrDefault(path, new Script()) with { Hold = hold };

    /// <summary>Only the first request to <paramref name="path"/> waits this long; later ones answer at once.</summary>
    public void HoldFirst(string path, TimeSpan hold) =>
        _scripts[path] = _scripts.GetValueOrDefault(path, new Script()) with { FirstHolds = new ConcurrentQueue<TimeSpan>([hold]) };

    /// <summary>Every request to <paramref name="path"/> is answered with <paramref name="status"/>.</summary>
    public void AlwaysAnswer(string path, int status) =>
        _scripts[path] = _scripts.GetValueOrDefault(path, new Script()) with { Always = status };

    public void Clear()
    {
        _requests.Clear();
        _scripts.Clear();
        Interlocked.Exchange(ref _maxInFlight, 0);
    }

    public IReadOnlyList<ReceivedRequest> To(string path) => [.. _requests.Where(r => r.Path == path)];

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        int now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            string path = context.Request.Path.Value!.TrimStart('/');
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            _requests.Enqueue(new ReceivedRequest(path, headers, buffer.ToArray()));
            int status = 200;
            if (_scripts.TryGetValue(path, out var script))
            {
                var hold = script.FirstHolds.TryDequeue(out var first) ? first : script.Hold;
                if (hold > TimeSpan.Zero)
                {
                    await Task.Delay(hold, context.RequestAborted);
                }
                status = script.Always ?? (script.Statuses.TryDequeue(out int next) ? next : 200);
            }
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(status < 300 ? "{\"success\":true}" : "{\"success\":false}", context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The sender gave up (a timeout test): nothing to answer.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private sealed record Script
    {
        public ConcurrentQueue<int> Statuses { get; init; } = new();

        public TimeSpan Hold { get; init; }

        public ConcurrentQueue<TimeSpan> FirstHolds { get; init; } = new();

        public int? Always { get; init; }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakeBank.Tests.Infrastructure;

/// <summary>The secrets the fixture configures; the tests verify signatures with them independently.</summary>
public static class Secrets
{
    public const string Generic = "test-generic-secret";
    public const string SePayApiKey = "test-sepay-apikey";
    public const string SePayHmac = "test-sepay-hmac";
    public const string SePayApiToken = "test-sepay-token";
    public const string CassoChecksumKey = "test-casso-checksum";
    public const string CassoApiKey = "test-casso-apikey";
}

/// <summary>
/// One FakeBank process and one webhook receiver per test class (tests of a class run one at a time; classes run in
/// parallel, each with its own pair). <see cref="ResetAsync"/> gives each test a clean bank with the default settings.
/// </summary>
/// <remarks>
/// The process runs on a manual clock (<c>--manual-clock</c>) starting at <see cref="Start"/>: retry gaps and
/// <c>delayMs</c> elapse only when a test advances it (<see cref="AdvanceAsync"/>, or <see cref="WaitIdleAsync"/>, which
/// steps it from one due retry to the next), and the bank clock that stamps signatures follows it. No test reads the
/// real clock; only the waits for the process to act are real (with a timeout).
/// </remarks>
public sealed class FakeBankFixture : IAsyncLifetime
{
    public const double RetryScale = 0.001;

    /// <summary>Where the manual clock (and with it the bank clock) starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 8, 10, 15, 38, 54, TimeSpan.Zero);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public FakeBankProcess Bank { get; private set; } = null!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Bank = await FakeBankProcess.StartAsync(["--urls", "http://127.0.0.1:0", "--exit-with-parent", "--manual-clock",
            "--bank-clock", Start.ToString("O", System.Globalization.CultureInfo.InvariantCulture)]);
        Http = new HttpClient { BaseAddress = Bank.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Bank.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    /// <summary>
    /// Empties the bank and the receiver and restores the settings every test starts from; the bank clock runs with the
    /// manual clock again, from where the manual clock stands.
    /// </summary>
    public async Task ResetAsync()
    {
        (await Http.PostAsync("control/reset", null)).EnsureSuccessStatusCode();
        Receiver.Clear();
        await ConfigureAsync(new
        {
            clock = new { now = await NowAsync(), frozen = false },
            retryScale = RetryScale,
            providers = new Dictionary<string, object>
            {
                ["generic"] = new
                {
                    url = Receiver.Url("generic"),
                    secret = Secrets.Generic,
                    retryGapsMinutes = new[] { 1, 1, 2, 3, 5, 8, 13 },
                    timeoutSeconds = 30,
                },
                ["sepay"] = new
                {
                    url = Receiver.Url("sepay"),
                    authMode = "apikey",
                    apiKey = Secrets.SePayApiKey,
                    hmacSecret = Secrets.SePayHmac,
                    apiToken = Secrets.SePayApiToken,
                    codePrefixes = Array.Empty<string>(),
                    retryGapsMinutes = new[] { 1, 1, 2, 3, 5, 8, 13 },
                    timeoutSeconds = 30,
                },
                ["casso"] = new
                {
                    url = Receiver.Url("casso"),
                    checksumKey = Secrets.CassoChecksumKey,
                    apiKey = Secrets.CassoApiKey,
                    retryGapsMinutes = new[] { 1, 2, 4, 8, 16 },
                    timeoutSeconds = 30,
                },
            },
            faults = new { webhookFailFirst = 0, webhookFailMode = "drop", historyFailNext = 0, historyFailStatus = 503 },
        });
    }

    public async Task ConfigureAsync(object patch)
    {
        var response = await Http.PostAsJsonAsync("control/config", patch, Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task AccountAsync(string bin, string number, string name, string[] providers, long openingBalance = 0)
    {
        var response = await Http.PostAsJsonAsync("control/accounts", new { bin, accountNumber = number, accountName = name, providers, openingBalance }, Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Books a transfer and returns the stored transaction; fails the test unless 201.</summary>
    public async Task<JsonNode> TransferAsync(object transfer)
    {
        var response = await Http.PostAsJsonAsync("control/transfers", transfer, Json);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, object body)
    {
        var response = await Http.PostAsJsonAsync(path, body, Json);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        var response = await Http.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonArray> DeliveriesAsync(string query = "") =>
        (await GetJsonAsync("control/deliveries" + query)).AsArray();

    /// <summary>
    /// Runs the bank's schedule to its end: until no delivery is queued or waiting for a retry, advancing the manual clock
    /// to each waiting retry's due instant (never further), whenever one waits.
    /// </summary>
    public async Task WaitIdleAsync(TimeSpan? timeout = null)
    {
        await Eventually.Async(async () =>
        {
            if ((int)(await GetJsonAsync("control/status"))["pendingDeliveries"]! == 0)
            {
                return true;
            }
            var clock = await ClockAsync();
            if ((int)clock["timers"]! > 0)
            {
                await AdvanceAsync(Instant(clock["nextDueAt"]) - Instant(clock["now"]));
            }
            return false;
        }, timeout);
    }

    /// <summary><c>GET /control/clock</c>: <c>{manual, now, timers, nextDueAt}</c>.</summary>
    public Task<JsonNode> ClockAsync() => GetJsonAsync("control/clock");

    /// <summary>The manual clock's now.</summary>
    public async Task<DateTimeOffset> NowAsync() => Instant((await ClockAsync())["now"]);

    /// <summary>Moves the manual clock forward (timers due on the way fire); a zero step does nothing.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        if (by <= TimeSpan.Zero)
        {
            return;
        }
        var response = await Http.PostAsJsonAsync("control/clock/advance", new { seconds = by.TotalSeconds }, Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until <paramref name="count"/> timers wait on the manual clock (a retry or a delay is scheduled).</summary>
    public Task WaitForTimersAsync(int count) =>
        Eventually.Async(async () => (int)(await ClockAsync())["timers"]! == count, because: $"{count} timers waiting");

    public static DateTimeOffset Instant(JsonNode? node) =>
        DateTimeOffset.Parse((string)node!, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Waits for another process to act: polls a condition until it holds, failing after a timeout.</summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    public static async Task Async(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null)
    {
        using var expiry = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (expiry.IsCancellationRequested)
            {
                Assert.Fail("Timed out waiting" + (because is null ? "" : ": " + because));
            }
            await Task.Delay(25);
        }
    }

    public static Task That(Func<bool> condition, TimeSpan? timeout = null, string? because = null) =>
        Async(() => Task.FromResult(condition()), timeout, because);
}

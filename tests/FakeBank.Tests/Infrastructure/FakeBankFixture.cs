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
public sealed class FakeBankFixture : IAsyncLifetime
{
    public const double RetryScale = 0.001;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public FakeBankProcess Bank { get; private set; } = null!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Bank = await FakeBankProcess.StartAsync(["--urls", "http://127.0.0.1:0", "--exit-with-parent"]);
        Http = new HttpClient { BaseAddress = Bank.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Bank.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    /// <summary>Empties the bank and the receiver and restores the settings every test starts from.</summary>
    public async Task ResetAsync()
    {
        (await Http.PostAsync("control/reset", null)).EnsureSuccessStatusCode();
        Receiver.Clear();
        await ConfigureAsync(new
        {
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

    /// <summary>Waits until no delivery is queued or waiting for a retry.</summary>
    public async Task WaitIdleAsync(TimeSpan? timeout = null)
    {
        await Eventually.Async(async () => (int)(await GetJsonAsync("control/status"))["pendingDeliveries"]! == 0, timeout);
    }
}

public static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    public static async Task Async(Func<Task<bool>> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? DefaultTimeout);
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting" + (because is null ? "" : ": " + because));
            }
            await Task.Delay(25);
        }
    }

    public static Task That(Func<bool> condition, TimeSpan? timeout = null, string? because = null) =>
        Async(() => Task.FromResult(condition()), timeout, because);
}

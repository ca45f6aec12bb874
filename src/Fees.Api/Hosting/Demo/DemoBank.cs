using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fees.Persistence.Payments;
using Microsoft.Extensions.Options;

namespace Fees.Api.Hosting.Demo;

/// <summary>An organization's account as the demo bank opens it.</summary>
public sealed record DemoAccount(string Bin, string Number, string Name);

/// <summary>
/// The demo's fake bank, seen from the service: FakeBank's control API on a loopback port the service chose, once
/// <see cref="DemoBankProcess"/> has started and wired it (<see cref="IsReady"/>). It makes the simulated transfers of
/// <c>/dang-phi</c>. When the demo bank is off (<see cref="Disabled"/>) nothing here does anything. Every failure to
/// reach it is a value (logged), never an exception to the caller.
/// </summary>
public sealed class DemoBank : IDisposable
{
    /// <summary>The bearer token FakeBank's SePay history API takes in the demo (the poller's, when pointed at it).</summary>
    public const string SePayHistoryToken = "demo-sepay-history-token";

    /// <summary>The made-up payer's bank (VietinBank).</summary>
    public const string PayerBin = "970415";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly HttpClient? _http;
    private readonly DemoBankOptions _options;
    private readonly ILogger _log;
    private volatile bool _ready;

    private DemoBank(Uri? address, DemoBankOptions options, ILogger log)
    {
        Address = address;
        _options = options;
        _log = log;
        _http = address is null ? null : new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The demo bank is off: no button, no endpoint, no process.</summary>
    public static DemoBank Disabled { get; } = new(null, new DemoBankOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    /// <summary>FakeBank's base address (<c>http://127.0.0.1:port/</c>), or null when the demo bank is off.</summary>
    public Uri? Address { get; }

    /// <summary>Whether the demo has a fake bank (the simulated transfer is offered).</summary>
    public bool Enabled => Address is not null;

    /// <summary>Whether FakeBank is running and wired to the service (its webhooks come here, the accounts are open).</summary>
    public bool IsReady => _ready;

    /// <summary>The providers that watch the demo accounts.</summary>
    internal IReadOnlyList<string> Watchers { get; private set; } = [];

    /// <summary>
    /// When enabled (<c>Fees:DemoBank:Enabled</c>): chooses FakeBank's port, points the SePay history poller at it (unless
    /// the history API is configured), and registers the bank, its process and its endpoint. Otherwise registers
    /// <see cref="Disabled"/>. Runs before the history clients are registered: they read their settings then.
    /// </summary>
    public static void AddDemoBank(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.Configuration;
        var section = config.GetSection(DemoBankOptions.Section);
        builder.Services.AddOptions<DemoBankOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var options = section.Get<DemoBankOptions>() ?? new DemoBankOptions();
        if (!options.Enabled)
        {
            builder.Services.AddSingleton(Disabled);
            return;
        }
        var address = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreeLoopbackPort()}/"));
        if (options.PollHistory && string.IsNullOrWhiteSpace(config["Bank:Providers:sepay:History:ApiToken"]))
        {
            config["Bank:Providers:sepay:History:BaseAddress"] = new Uri(address, "sepay/").ToString();
            config["Bank:Providers:sepay:History:ApiToken"] = SePayHistoryToken;
        }
        builder.Services.AddSingleton(sp => new DemoBank(address, sp.GetRequiredService<IOptions<DemoBankOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<DemoBank>()));
        builder.Services.AddHostedService<DemoBankProcess>();
    }

    /// <summary>
    /// Sends FakeBank's webhooks to <paramref name="serviceUrl"/> for each watching provider whose secret is in
    /// <paramref name="secrets"/> (the service's own), and sets its bank clock to the service's now.
    /// </summary>
    internal async Task Configure(string serviceUrl, IReadOnlyDictionary<string, string?> secrets, DateTimeOffset now, CancellationToken ct)
    {
        string hook = serviceUrl.TrimEnd('/') + "/api/bank/notifications/";
        var providers = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            // The history API's token is set whether or not SePay sends webhooks: the poller may read it.
            ["sepay"] = new { apiToken = SePayHistoryToken },
        };
        var watchers = new List<string>();
        foreach (string provider in _options.ProviderList)
        {
            if (secrets.GetValueOrDefault(provider) is not { Length: > 0 } secret)
            {
                _log.LogWarning("Demo bank: {Provider} has no secret configured in the service, so it sends no webhooks", provider);
                continue;
            }
            watchers.Add(provider);
            providers[provider] = provider switch
            {
                "generic" => new { url = hook + "generic", secret },
                "sepay" => new { url = hook + "sepay", authMode = "apikey", apiKey = secret, apiToken = SePayHistoryToken },
                _ => (object)new { url = hook + "casso", checksumKey = secret },
            };
        }
        Watchers = watchers;
        await Send(HttpMethod.Post, "control/config", new { providers, clock = new { now, frozen = false } }, ct);
    }

    /// <summary>Opens (or re-opens, keeping its balance) each account, watched by <see cref="Watchers"/>.</summary>
    internal async Task<int> OpenAccounts(IEnumerable<DemoAccount> accounts, CancellationToken ct)
    {
        int opened = 0;
        foreach (var a in accounts)
        {
            await OpenAccount(a, ct);
            opened++;
        }
        return opened;
    }

    internal void MarkReady() => _ready = true;

    /// <summary>
    /// Makes the transfer <paramref name="qr"/> asks for, from a made-up account of <paramref name="payerName"/> into the
    /// collecting organization's account, with the code's transfer content (rewritten as the configured bank would).
    /// </summary>
    /// <returns>The bank reference of the transfer, or null when the demo bank is not there (logged).</returns>
    public async Task<string?> Transfer(PaymentQr qr, string payerName, long payerSeed, DateTimeOffset bookedAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(qr);
        if (!_ready)
        {
            return null;
        }
        try
        {
            // An organization imported after the start has no account at the bank yet: open it (idempotent).
            await OpenAccount(new DemoAccount(qr.BankBin, qr.AccountNumber, qr.AccountName), ct);
            using var response = await Send(HttpMethod.Post, "control/transfers", new
            {
                toBin = qr.BankBin,
                toAccount = qr.AccountNumber,
                amount = qr.Amount.Dong,
                content = qr.Purpose,
                fromName = payerName,
                fromAccount = string.Create(CultureInfo.InvariantCulture, $"10{Math.Abs(payerSeed % 10_000_000_000):D10}"),
                fromBin = PayerBin,
                bookedAt,
                rewrite = string.IsNullOrEmpty(_options.RewritePreset) ? null : new { preset = _options.RewritePreset },
                delivery = new { delayMs = _options.DeliveryDelayMs },
            }, ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            return body.GetProperty("bankReference").GetString();
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException or ObjectDisposedException
                                  || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            _log.LogWarning(e, "Demo bank: the simulated transfer failed");
            return null;
        }
    }

    /// <summary>
    /// Pays a remittance order as an office would at its bank: the money leaves the child's account (when it has one)
    /// and arrives in the parent's, each side with the order's transfer content, so both feeds see it.
    /// </summary>
    /// <returns>The bank reference of the credit at the parent, or null when the demo bank is not there (logged).</returns>
    public async Task<string?> TransferRemittance(DemoAccount? from, DemoAccount to, long amount, string purpose, DateTimeOffset bookedAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(to);
        if (!_ready)
        {
            return null;
        }
        try
        {
            await OpenAccount(to, ct);
            if (from is not null)
            {
                await OpenAccount(from, ct);
                using var debit = await Send(HttpMethod.Post, "control/transfers", new
                {
                    toBin = from.Bin, toAccount = from.Number, amount, content = purpose, direction = "out",
                    fromName = to.Name, fromAccount = to.Number, fromBin = to.Bin, bookedAt,
                    delivery = new { delayMs = _options.DeliveryDelayMs },
                }, ct);
            }
            using var credit = await Send(HttpMethod.Post, "control/transfers", new
            {
                toBin = to.Bin, toAccount = to.Number, amount, content = purpose,
                fromName = from?.Name ?? "CHI BO", fromAccount = from?.Number ?? "1000000000", fromBin = from?.Bin ?? PayerBin, bookedAt,
                rewrite = string.IsNullOrEmpty(_options.RewritePreset) ? null : new { preset = _options.RewritePreset },
                delivery = new { delayMs = _options.DeliveryDelayMs },
            }, ct);
            var body = await credit.Content.ReadFromJsonAsync<JsonElement>(ct);
            return body.GetProperty("bankReference").GetString();
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException or KeyNotFoundException or ObjectDisposedException
                                  || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            _log.LogWarning(e, "Demo bank: the simulated remittance failed");
            return null;
        }
    }

    public void Dispose() => _http?.Dispose();

    private async Task OpenAccount(DemoAccount a, CancellationToken ct)
    {
        using var _ = await Send(HttpMethod.Post, "control/accounts", new { bin = a.Bin, accountNumber = a.Number, accountName = a.Name, providers = Watchers }, ct);
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, object body, CancellationToken ct)
    {
        var http = _http ?? throw new InvalidOperationException("The demo bank is off.");
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: Json) };
        var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            string detail = await response.Content.ReadAsStringAsync(ct);
            response.Dispose();
            throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"FakeBank answered {(int)response.StatusCode} to {path}: {detail[..Math.Min(detail.Length, 300)]}"),
                null, response.StatusCode);
        }
        return response;
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}

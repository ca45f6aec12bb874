using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fees.Testing;

/// <summary>
/// A real FakeBank process for the service's tests, started as FakeBank's own tests start it: <c>dotnet FakeBank.dll
/// --urls http://127.0.0.1:0 --exit-with-parent --manual-clock --bank-clock …</c>, the port read from the
/// <c>FAKEBANK_LISTENING</c> line. Its schedule runs on a manual clock starting at the given instant (the service's
/// test clock), so signatures fall in the service's window and no test reads the real clock.
/// </summary>
public sealed class FakeBankServer : IAsyncDisposable
{
    public const string Marker = "FAKEBANK_LISTENING ";

    /// <summary>FakeBank's history credentials in the tests.</summary>
    public const string SePayApiToken = "test-sepay-history-token";
    public const string CassoApiKey = "test-casso-history-key";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Process _process;

    private FakeBankServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    /// <summary>Starts FakeBank with its manual clock (and bank clock) at <paramref name="start"/>.</summary>
    public static async Task<FakeBankServer> StartAsync(DateTimeOffset start)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Dll());
        foreach (string a in new[] { "--urls", "http://127.0.0.1:0", "--exit-with-parent", "--manual-clock", "--bank-clock",
                     start.ToString("O", CultureInfo.InvariantCulture), "--sepay-api-token", SePayApiToken, "--casso-api-key", CassoApiKey })
        {
            info.ArgumentList.Add(a);
        }
        info.Environment.Remove("ASPNETCORE_URLS");
        info.WorkingDirectory = Path.GetDirectoryName(info.ArgumentList[0])!;
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var stderr = new StringBuilder();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("FakeBank's stdout closed before the listening line"));
            }
            else if (e.Data.StartsWith(Marker, StringComparison.Ordinal))
            {
                listening.TrySetResult(e.Data[Marker.Length..].Trim());
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            string url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return new FakeBankServer(process, new Uri(url.TrimEnd('/') + "/"));
        }
        catch (Exception e)
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            string err;
            lock (stderr)
            {
                err = stderr.ToString();
            }
            throw new InvalidOperationException("FakeBank did not start. stderr:\n" + err, e);
        }
    }

    /// <summary><c>POST /control/config</c> with a partial configuration.</summary>
    public async Task ConfigureAsync(object patch) => await Ok(await Http.PostAsJsonAsync("control/config", patch, Json));

    /// <summary>Points each provider's webhooks at the service under test, signed with the service's test secrets.</summary>
    public Task DeliverTo(string serviceBaseUrl) => ConfigureAsync(new
    {
        providers = new Dictionary<string, object>
        {
            ["generic"] = new { url = serviceBaseUrl.TrimEnd('/') + "/api/bank/notifications/generic", secret = FeesApp.GenericSecret },
            ["sepay"] = new { url = serviceBaseUrl.TrimEnd('/') + "/api/bank/notifications/sepay", authMode = "apikey", apiKey = FeesApp.SePayApiKey },
            ["casso"] = new { url = serviceBaseUrl.TrimEnd('/') + "/api/bank/notifications/casso", checksumKey = FeesApp.CassoChecksumKey },
        },
    });

    /// <summary>Opens (or re-opens) an account at the bank, watched by <paramref name="providers"/>.</summary>
    public async Task AccountAsync(OrgAccount account, string name, params string[] providers) =>
        await Ok(await Http.PostAsJsonAsync("control/accounts", new { bin = account.Bin, accountNumber = account.Number, accountName = name, providers }, Json));

    /// <summary>Books a transfer (<c>POST /control/transfers</c>) and returns the stored transaction.</summary>
    public async Task<JsonNode> TransferAsync(object transfer)
    {
        var response = await Http.PostAsJsonAsync("control/transfers", transfer, Json);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        var response = await Http.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Moves FakeBank's manual clock: retries and delayed deliveries due on the way leave now.</summary>
    public async Task AdvanceAsync(TimeSpan by) =>
        await Ok(await Http.PostAsJsonAsync("control/clock/advance", new { seconds = by.TotalSeconds }, Json));

    /// <summary>
    /// Waits until every webhook has been delivered or given up, advancing the manual clock to each waiting retry's due
    /// instant whenever one waits.
    /// </summary>
    public async Task WaitIdleAsync()
    {
        using var expiry = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((int)(await GetJsonAsync("control/status"))["pendingDeliveries"]! > 0)
        {
            Assert.False(expiry.IsCancellationRequested, "FakeBank's deliveries did not finish");
            var clock = await GetJsonAsync("control/clock");
            if ((int)clock["timers"]! > 0)
            {
                var due = DateTimeOffset.Parse((string)clock["nextDueAt"]!, CultureInfo.InvariantCulture);
                var now = DateTimeOffset.Parse((string)clock["now"]!, CultureInfo.InvariantCulture);
                if (due > now)
                {
                    await AdvanceAsync(due - now);
                }
            }
            else
            {
                await Task.Delay(25);
            }
        }
    }

    /// <summary>Every webhook attempt FakeBank made for one transaction (by bank reference).</summary>
    public async Task<JsonArray> DeliveriesAsync(string bankReference) =>
        (await GetJsonAsync("control/deliveries?bankReference=" + Uri.EscapeDataString(bankReference))).AsArray();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            // With --exit-with-parent, closing stdin is the polite stop; killing is the fallback.
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }

    private static async Task Ok(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>FakeBank.dll as this project's reference built it, else beside the tests.</summary>
    private static string Dll()
    {
        var candidates = new List<string>();
        if (typeof(FakeBankServer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "FakeBankDll")?.Value is { } built)
        {
            candidates.Add(built);
        }
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "FakeBank.dll"));
        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException("FakeBank.dll not found; looked at " + string.Join(", ", candidates));
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Fees.Persistence.Database;

namespace Fees.Bench;

/// <summary>
/// The service itself (<c>Fees.Api.dll</c>, built with this benchmark) in its own process on a loopback port, on the
/// benchmark's database, configured as a deployment would configure it (a connection string, the restricted role, the
/// webhook secret); its console goes to a file in the run's directory.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServiceProcess(Process process, Uri baseAddress, string logFile)
    {
        _process = process;
        BaseAddress = baseAddress;
        LogFile = logFile;
    }

    public Uri BaseAddress { get; }

    public string LogFile { get; }

    public int Pid => _process.Id;

    /// <param name="environment">More settings for the service (e.g. <c>Fees__SignInRateLimit__Burst</c>), after the defaults.</param>
    public static async Task<ServiceProcess> StartAsync(DatabaseConnections database, string dataDirectory, string genericSecret, string receiptSigningKeyPem,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        string dll = typeof(Fees.Api.Bank.BankEndpoints).Assembly.Location;
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var baseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        string logFile = Path.Combine(dataDirectory, "service-console.log");
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec dotnet \"$0\" --urls \"$1\" >>\"$2\" 2>&1");
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        start.ArgumentList.Add(logFile);
        start.Environment["ConnectionStrings__Fees"] = database.App;
        start.Environment["ConnectionStrings__FeesOwner"] = database.Owner;
        start.Environment["FEES_ADMIN_PASSWORD"] = "bench-admin-" + Guid.NewGuid().ToString("N");
        start.Environment["FEES_DATA_DIR"] = dataDirectory;
        start.Environment["Bank__Providers__generic__Secret"] = genericSecret;
        start.Environment["Fees__ReceiptSigningKey"] = receiptSigningKeyPem;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("The service did not start.");
        var service = new ServiceProcess(process, baseAddress, logFile);
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The service exited ({process.ExitCode}); see {logFile}:\n{File.ReadAllText(logFile)}");
            }
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            if (waited.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"The service did not answer /health within 3 minutes; see {logFile}.");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>The process's peak resident memory so far (VmHWM), in bytes.</summary>
    public long PeakResidentBytes() => Status("VmHWM:");

    /// <summary>The process's CPU time so far (user + system).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    private long Status(string key)
    {
        foreach (string line in File.ReadLines(string.Create(CultureInfo.InvariantCulture, $"/proc/{_process.Id}/status")))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term!.WaitForExitAsync();
            }
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}

using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace FakeBank.Tests.Infrastructure;

/// <summary>
/// A real FakeBank process, started from its build output as <c>dotnet FakeBank.dll --urls http://127.0.0.1:0</c>; the
/// port is read from the <c>FAKEBANK_LISTENING</c> line on stdout.
/// </summary>
public sealed class FakeBankProcess : IAsyncDisposable
{
    public const string Marker = "FAKEBANK_LISTENING ";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _stdout = new();

    private FakeBankProcess(Process process) => Process = process;

    public Process Process { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every stdout line so far (the listening line included).</summary>
    public string StandardOutput
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts the process with <paramref name="arguments"/> after the dll; waits for the listening line.</summary>
    /// <param name="listen">False for a start that is expected to fail before listening.</param>
    /// <param name="environment">Extra environment variables for the child only.</param>
    public static async Task<FakeBankProcess> StartAsync(
        IEnumerable<string> arguments, bool listen = true, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(FakeBankDll());
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var fake = new FakeBankProcess(process);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException("stdout closed before the listening line"));
                return;
            }
            lock (fake._stdout)
            {
                fake._stdout.AppendLine(e.Data);
            }
            if (e.Data.StartsWith(Marker, StringComparison.Ordinal))
            {
                listening.TrySetResult(e.Data[Marker.Length..].Trim());
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (fake._stderr)
                {
                    fake._stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!listen)
        {
            return fake;
        }
        try
        {
            string url = await listening.Task.WaitAsync(StartTimeout);
            fake.BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/");
            return fake;
        }
        catch (Exception ex)
        {
            await fake.DisposeAsync();
            throw new InvalidOperationException($"FakeBank did not announce its port. stderr:\n{fake.StandardError}", ex);
        }
    }

    /// <summary>Sends SIGTERM, as a service manager or <c>docker stop</c> would.</summary>
    public async Task TerminateAsync()
    {
        var kill = Process.Start(new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"kill -TERM {Process.Id}" },
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("sh did not start");
        await kill.WaitForExitAsync();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await Process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            // SIGTERM is the polite stop (it works with or without --exit-with-parent); killing is the fallback.
            await TerminateAsync();
            if (!await WaitForExitAsync(TimeSpan.FromSeconds(5)))
            {
                Process.Kill(entireProcessTree: true);
                await WaitForExitAsync(TimeSpan.FromSeconds(5));
            }
        }
        Process.Dispose();
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>The build output the project reference produced, else next to the tests (a flat <c>-o</c> build).</summary>
    private static string FakeBankDll()
    {
        var candidates = new List<string>();
        if (typeof(FakeBankProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "FakeBankDll")?.Value is { } built)
        {
            candidates.Add(built);
        }
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "FakeBank.dll"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("FakeBank.dll not found; looked at " + string.Join(", ", candidates));
    }
}

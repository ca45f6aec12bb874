using System.Diagnostics;
using System.Reflection;
using System.Text;
using Fees.Persistence;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fees.Api.Hosting.Demo;

/// <summary>
/// Runs FakeBank as a child of the service: <c>dotnet FakeBank.dll --urls http://127.0.0.1:port --exit-with-parent</c>
/// (so it dies with the service, even a killed one), then, once the service listens, points its webhooks at the service
/// with the service's own secrets and opens every organization's account in it; stopped with the service. If it cannot
/// start, the service runs on without it (the simulated transfer says the bank is not there).
/// </summary>
internal sealed class DemoBankProcess(
    DemoBank bank,
    IOptions<DemoBankOptions> options,
    IServer server,
    IHostApplicationLifetime lifetime,
    IServiceScopeFactory scopes,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<DemoBankProcess> log) : IHostedService, IDisposable
{
    private const string Marker = "FAKEBANK_LISTENING ";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;
    private Task _wiring = Task.CompletedTask;
    private Task? _stop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        string? dll = FindFakeBank(options.Value.FakeBankDll);
        if (dll is null)
        {
            log.LogWarning("Demo bank: FakeBank.dll was not found (build tools/FakeBank, or set Fees:DemoBank:FakeBankDll); no simulated transfers");
            return Task.CompletedTask;
        }
        try
        {
            _process = Start(dll, bank.Address!);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            log.LogWarning(e, "Demo bank: FakeBank did not start; no simulated transfers");
            return Task.CompletedTask;
        }
        // The service is not listening yet: wire the bank once it is, without holding up the start.
        _wiring = Task.Run(() => Wire(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops the child once; every caller awaits the same stop (a minimal-hosting app is stopped both by whoever stops the
    /// host and by its own <c>RunAsync</c>, which then disposes the host).
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _stop ??= StopOnce();
        }
    }

    public void Dispose()
    {
        Task? stop;
        lock (_gate)
        {
            stop = _stop;
            _stop ??= Task.CompletedTask;
        }
        if (stop is null)
        {
            // Disposed without a stop (the host failed to start): the child must not outlive us.
            _stopping.Cancel();
            KillQuietly();
            _process?.Dispose();
        }
        // Otherwise the stop under way disposes the process when it has exited.
    }

    private async Task StopOnce()
    {
        await _stopping.CancelAsync();
        try
        {
            await _wiring.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Stopping anyway.
        }
        if (_process is not { } p)
        {
            return;
        }
        try
        {
            if (!p.HasExited)
            {
                // --exit-with-parent: the end of its stdin stops it cleanly; a kill is the fallback.
                p.StandardInput.Close();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await p.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    KillQuietly();
                }
            }
        }
        finally
        {
            p.Dispose();
        }
    }

    private void KillQuietly()
    {
        try
        {
            if (_process is { HasExited: false } p)
            {
                p.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            log.LogDebug(e, "Demo bank: FakeBank had already gone");
        }
    }

    private Process Start(string dll, Uri address)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            // Its own folder: FakeBank must not read the service's appsettings.json as its own.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(address.GetLeftPart(UriPartial.Authority));
        info.ArgumentList.Add("--exit-with-parent");
        foreach (string inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "URLS" })
        {
            info.Environment.Remove(inherited);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start FakeBank.");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _listening.TrySetException(new InvalidOperationException("FakeBank stopped before it listened."));
            }
            else if (e.Data.StartsWith(Marker, StringComparison.Ordinal))
            {
                _listening.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                log.LogDebug("FakeBank: {Line}", line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task Wire(CancellationToken ct)
    {
        try
        {
            await _listening.Task.WaitAsync(StartTimeout, ct);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(ct);
            }
            if (SelfUrl() is not { } self)
            {
                log.LogWarning("Demo bank: the service's own address is unknown, so FakeBank sends it no webhooks");
                return;
            }
            var secrets = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["generic"] = configuration["Bank:Providers:generic:Secret"],
                ["sepay"] = configuration["Bank:Providers:sepay:ApiKey"],
                ["casso"] = configuration["Bank:Providers:casso:ChecksumKey"],
            };
            await bank.Configure(self, secrets, clock.GetUtcNow(), ct);
            List<DemoAccount> accounts;
            await using (var scope = scopes.CreateAsyncScope())
            {
                accounts = await scope.ServiceProvider.GetRequiredService<FeesDbContext>().Orgs.AsNoTracking()
                    .Where(o => o.BankBin != null && o.BankAccount != null)
                    .OrderBy(o => o.Id)
                    .Select(o => new DemoAccount(o.BankBin!, o.BankAccount!, o.BankAccountName ?? o.Code))
                    .ToListAsync(ct);
            }
            int opened = await bank.OpenAccounts(accounts, ct);
            bank.MarkReady();
            log.LogInformation("Demo bank (FakeBank) at {Address}: {Accounts} organization accounts, webhooks ({Providers}) to {Service}",
                bank.Address, opened, string.Join(", ", bank.Watchers), self);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Demo bank: FakeBank could not be wired to the service; no simulated transfers");
        }
        catch (OperationCanceledException)
        {
            // The service stopped first.
        }
    }

    /// <summary>The service's own HTTP address, with a wildcard host turned into loopback.</summary>
    private string? SelfUrl()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (string address in addresses.OrderBy(a => a.StartsWith("http://", StringComparison.Ordinal) ? 0 : 1))
        {
            string normalized = address.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal);
            if (Uri.TryCreate(normalized, UriKind.Absolute, out var uri) && uri.Port > 0)
            {
                return uri.GetLeftPart(UriPartial.Authority);
            }
        }
        return null;
    }

    /// <summary>
    /// FakeBank.dll: the configured path, else where the service's build put it (the service references FakeBank so that
    /// building the service builds it): relative to the service's output folder, then the absolute build path.
    /// </summary>
    internal static string? FindFakeBank(string? configured)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(configured))
        {
            candidates.Add(configured);
        }
        var metadata = typeof(DemoBankProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToList();
        if (metadata.FirstOrDefault(a => a.Key == "FakeBankDllFromOutput")?.Value is { Length: > 0 } relative)
        {
            candidates.Add(Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, relative)));
        }
        if (metadata.FirstOrDefault(a => a.Key == "FakeBankDll")?.Value is { Length: > 0 } built)
        {
            candidates.Add(built);
        }
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "FakeBank.dll"));
        return candidates.FirstOrDefault(File.Exists);
    }
}

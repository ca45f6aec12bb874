using Fees.Testing;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests.Bank;

/// <summary>
/// The service on a real loopback port with a real FakeBank process beside it: FakeBank delivers its webhooks to the
/// service (signed with the test secrets, on a manual clock standing at the service's test clock), and the service's
/// SePay and Casso history clients read FakeBank's history APIs. The scheduled polls never fire on their own
/// (<c>Cron.Never</c>): tests run a poll when they mean to.
/// </summary>
public sealed class BankPollApp : FeesApp, IAsyncLifetime
{
    public BankPollApp() => UseKestrel(0);

    public FakeBankServer Bank { get; private set; } = null!;

    public string BaseUrl => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    async Task IAsyncLifetime.InitializeAsync()
    {
        Bank = await FakeBankServer.StartAsync(Today);
        await InitializeAsync();
        await Bank.DeliverTo(BaseUrl);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Bank.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Bank:Providers:sepay:History:BaseAddress", new Uri(Bank.BaseAddress, "sepay/").ToString());
        builder.UseSetting("Bank:Providers:sepay:History:ApiToken", FakeBankServer.SePayApiToken);
        builder.UseSetting("Bank:Providers:casso:History:BaseAddress", new Uri(Bank.BaseAddress, "casso/").ToString());
        builder.UseSetting("Bank:Providers:casso:History:ApiKey", FakeBankServer.CassoApiKey);
        foreach (string provider in new[] { "sepay", "casso" })
        {
            // Retries without a delay: the resilience pipeline waits on the service's clock, which the tests hold still.
            builder.UseSetting($"Bank:Providers:{provider}:History:MaxRetryAttempts", "2");
            builder.UseSetting($"Bank:Providers:{provider}:History:RetryDelay", "00:00:00");
        }
        builder.UseSetting("Bank:Polling:Schedule", Cron.Never());
    }
}

using System.Net;
using Fees.BankGateway.History;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fees.BankGateway.Tests.History;

/// <summary>The clients as the service registers them: options from configuration, the standard resilience handler, a stub network.</summary>
public class HistoryRegistrationTests
{
    private static ServiceProvider Build(StubHttp stub, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Bank:Providers:sepay:History:BaseAddress"] = "http://fake-bank.test/sepay/",
            ["Bank:Providers:sepay:History:ApiToken"] = "token-1",
            ["Bank:Providers:sepay:History:RetryDelay"] = "00:00:00",
            ["Bank:Providers:sepay:History:MaxRetryAttempts"] = "2",
            ["Bank:Providers:sepay:History:Accounts:0"] = "0071000962707",
            ["Bank:Providers:casso:History:BaseAddress"] = "http://fake-bank.test/casso/",
            ["Bank:Providers:casso:History:ApiKey"] = "key-1",
            ["Bank:Providers:casso:History:RetryDelay"] = "00:00:00",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddBankHistoryClients(configuration);
        services.AddHttpClient(BankHistoryServiceCollectionExtensions.SePayHttpClientName).ConfigurePrimaryHttpMessageHandler(() => stub);
        services.AddHttpClient(BankHistoryServiceCollectionExtensions.CassoHttpClientName).ConfigurePrimaryHttpMessageHandler(() => stub);
        return services.BuildServiceProvider();
    }

    private static async Task<HistoryPage<SePayCursor>> PollSePay(StubHttp stub, Dictionary<string, string?>? extra = null)
    {
        using var provider = Build(stub, extra);
        return await provider.GetRequiredService<SePayHistory>().NextAsync(SePayCursor.Start("0071000962707"), CancellationToken.None);
    }

    [Fact]
    public async Task AddBankHistoryClients_BindsTheBaseAddressTokenAndAccounts()
    {
        var stub = StubHttp.Always(HttpStatusCode.OK, StubHttp.Fixture("sepay-transactions.json"));
        using var provider = Build(stub);
        var page = await provider.GetRequiredService<SePayHistory>().NextAsync(SePayCursor.Start("0071000962707"), CancellationToken.None);

        Assert.Equal(2, page.Transactions.Count);
        Assert.Equal("http://fake-bank.test/sepay/userapi/transactions/list?account_number=0071000962707&limit=100", stub.Requests[0].Uri.ToString());
        Assert.Equal("Bearer token-1", stub.Requests[0].Authorization);
        Assert.Equal(["0071000962707"], provider.GetRequiredService<IOptions<SePayHistoryOptions>>().Value.Accounts);
    }

    [Fact]
    public async Task AddBankHistoryClients_RegistersCassoToo()
    {
        var stub = StubHttp.Always(HttpStatusCode.OK, StubHttp.Fixture("casso-transactions-page2.json"));
        using var provider = Build(stub);
        var page = await provider.GetRequiredService<CassoHistory>()
            .NextAsync(CassoCursor.Start(new DateOnly(2026, 9, 4)), new DateTimeOffset(2026, 9, 5, 7, 0, 0, TimeSpan.Zero), CancellationToken.None);
        Assert.Null(page.Failure);
        Assert.Equal("/casso/v2/transactions", stub.Requests[0].Uri.AbsolutePath);
        Assert.Equal("Apikey key-1", stub.Requests[0].Authorization);
    }

    [Fact]
    public async Task ResilienceHandler_RetriesA503_ThenSucceeds()
    {
        var stub = new StubHttp((_, attempt) => attempt < 3
            ? StubHttp.Json(HttpStatusCode.ServiceUnavailable, "{}")
            : StubHttp.Json(HttpStatusCode.OK, StubHttp.Fixture("sepay-transactions.json")));
        var page = await PollSePay(stub);
        Assert.Null(page.Failure);
        Assert.Equal(2, page.Transactions.Count);
        Assert.Equal(3, stub.Requests.Count);
    }

    [Fact]
    public async Task ResilienceHandler_MapsAFinal503ToProviderUnavailable_AfterTheConfiguredRetries()
    {
        var stub = StubHttp.Always(HttpStatusCode.ServiceUnavailable);
        var page = await PollSePay(stub);
        Assert.Equal(HistoryFailureKind.ProviderUnavailable, page.Failure?.Kind);
        Assert.Equal(503, page.Failure!.StatusCode);
        Assert.Equal(1 + 2, stub.Requests.Count);
        Assert.Equal(SePayCursor.Start("0071000962707"), page.Next);
    }

    [Fact]
    public async Task ResilienceHandler_DoesNotRetryA401()
    {
        var stub = StubHttp.Always(HttpStatusCode.Unauthorized);
        var page = await PollSePay(stub);
        Assert.Equal(HistoryFailureKind.Unauthorized, page.Failure?.Kind);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task ResilienceHandler_RetriesNothing_WhenMaxRetryAttemptsIsZero()
    {
        var stub = StubHttp.Always(HttpStatusCode.InternalServerError);
        var page = await PollSePay(stub, new() { ["Bank:Providers:sepay:History:MaxRetryAttempts"] = "0" });
        Assert.Equal(HistoryFailureKind.ProviderUnavailable, page.Failure?.Kind);
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task ResilienceHandler_MapsARepeatedConnectionFailureToUnreachable()
    {
        var stub = new StubHttp((_, _) => throw new HttpRequestException("connection refused"));
        var page = await PollSePay(stub);
        Assert.Equal(HistoryFailureKind.Unreachable, page.Failure?.Kind);
        Assert.Equal(3, stub.Requests.Count);
    }

    [Theory]
    [InlineData("Bank:Providers:sepay:History:PageSize", "1")]
    [InlineData("Bank:Providers:sepay:History:MaxRetryAttempts", "11")]
    [InlineData("Bank:Providers:sepay:History:RetryDelay", "00:05:00")]
    [InlineData("Bank:Providers:sepay:History:Accounts:1", "0071-000")]
    [InlineData("Bank:Providers:casso:History:PageSize", "0")]
    [InlineData("Bank:Providers:casso:History:SettleDelay", "3.00:00:00")]
    public void AddBankHistoryClients_RefusesInvalidSettings(string key, string value) =>
        Assert.Throws<OptionsValidationException>(() => Build(StubHttp.Always(HttpStatusCode.OK), new() { [key] = value }));

    [Fact]
    public async Task Defaults_PointAtTheRealProvidersAndLeavePollingOff()
    {
        using var provider = new ServiceCollection().AddBankHistoryClients(new ConfigurationBuilder().Build()).BuildServiceProvider();
        var sepay = provider.GetRequiredService<IOptions<SePayHistoryOptions>>().Value;
        var casso = provider.GetRequiredService<IOptions<CassoHistoryOptions>>().Value;
        Assert.Equal(new Uri("https://my.sepay.vn/"), sepay.BaseAddress);
        Assert.Equal(new Uri("https://oauth.casso.vn/"), casso.BaseAddress);
        Assert.False(sepay.IsConfigured);
        Assert.Equal(TimeSpan.FromHours(3), casso.SettleDelay);
        var page = await provider.GetRequiredService<SePayHistory>().NextAsync(SePayCursor.Start(null), CancellationToken.None);
        Assert.Equal(HistoryFailureKind.NotConfigured, page.Failure?.Kind);
    }
}

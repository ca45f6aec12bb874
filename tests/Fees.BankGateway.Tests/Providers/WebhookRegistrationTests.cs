using Fees.BankGateway.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Fees.BankGateway.Tests.Providers.Webhooks;

namespace Fees.BankGateway.Tests.Providers;

public class WebhookRegistrationTests
{
    [Fact]
    public void AddBankWebhookAdapters_BindsTheContractKeys()
    {
        // The environment form Bank__Providers__sepay__ApiKey arrives in IConfiguration as Bank:Providers:sepay:ApiKey.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bank:Providers:generic:Secret"] = "g-secret",
            ["Bank:Providers:sepay:ApiKey"] = "s-key",
        }).Build();
        using var provider = new ServiceCollection().AddBankWebhookAdapters(configuration).BuildServiceProvider();

        var generic = provider.GetRequiredKeyedService<IWebhookAdapter>(BankProviderCodes.Generic);
        var sepay = provider.GetRequiredKeyedService<IWebhookAdapter>(BankProviderCodes.SePay);
        var casso = provider.GetRequiredKeyedService<IWebhookAdapter>(BankProviderCodes.Casso);

        Assert.Equal(["generic", "sepay", "casso"], provider.GetServices<IWebhookAdapter>().Select(a => a.Provider));
        byte[] body = Fixture("generic-in.json");
        Assert.True(generic.Verify(Request(body, (GenericSignature.HeaderName, GenericSignature.Sign("g-secret", body))), Now).IsVerified);
        Assert.True(sepay.Verify(Request(body, ("Authorization", "Apikey s-key")), Now).IsVerified);
        Assert.False(casso.IsEnabled);
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Fees.BankGateway.Providers;

/// <summary>Registers the webhook adapters for the API layer.</summary>
public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="BankProvidersOptions"/> from <c>Bank:Providers</c> and registers one <see cref="IWebhookAdapter"/>
    /// singleton per provider, keyed by its code (<c>[FromKeyedServices("sepay")] IWebhookAdapter</c>) and also resolvable
    /// as <c>IEnumerable&lt;IWebhookAdapter&gt;</c>. Secrets are read once, when an adapter is first resolved; rotating a
    /// secret takes a restart.
    /// </summary>
    public static IServiceCollection AddBankWebhookAdapters(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BankProvidersOptions>().Bind(configuration.GetSection(BankProvidersOptions.SectionName));
        Add(services, BankProviderCodes.Generic, o => new GenericWebhookAdapter(o.Generic));
        Add(services, BankProviderCodes.SePay, o => new SePayWebhookAdapter(o.SePay));
        Add(services, BankProviderCodes.Casso, o => new CassoWebhookAdapter(o.Casso));
        return services;
    }

    private static void Add(IServiceCollection services, string provider, Func<BankProvidersOptions, IWebhookAdapter> create)
    {
        services.AddKeyedSingleton(provider, (sp, _) => create(sp.GetRequiredService<IOptions<BankProvidersOptions>>().Value));
        services.AddSingleton(sp => sp.GetRequiredKeyedService<IWebhookAdapter>(provider));
    }
}

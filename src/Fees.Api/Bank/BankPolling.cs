using Fees.Api.Jobs;
using Fees.BankGateway.History;

namespace Fees.Api.Bank;

/// <summary>Registers the history clients (Refit, standard resilience handler), the poller and its job.</summary>
public static class BankPolling
{
    public static IServiceCollection AddBankPolling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBankHistoryClients(configuration);
        services.AddOptions<BankPollingOptions>()
            .Bind(configuration.GetSection(BankPollingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<BankPoller>();
        services.AddScoped<BankPollJobs>();
        return services;
    }
}

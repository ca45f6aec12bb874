using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Refit;

namespace Fees.BankGateway.History;

/// <summary>Registers the providers' history clients.</summary>
public static class BankHistoryServiceCollectionExtensions
{
    /// <summary>The <c>IHttpClientFactory</c> name of the SePay history client (to add handlers, or a stub in tests).</summary>
    public const string SePayHttpClientName = "Fees.BankGateway.History.SePay";

    /// <summary>The <c>IHttpClientFactory</c> name of the Casso history client.</summary>
    public const string CassoHttpClientName = "Fees.BankGateway.History.Casso";

    /// <summary>The configuration section of SePay's history settings.</summary>
    public const string SePaySectionName = "Bank:Providers:sepay:History";

    /// <summary>The configuration section of Casso's history settings.</summary>
    public const string CassoSectionName = "Bank:Providers:casso:History";

    /// <summary>
    /// Binds <see cref="SePayHistoryOptions"/> and <see cref="CassoHistoryOptions"/> (validated, on start where a host runs),
    /// registers the source-generated Refit clients <see cref="ISePayTransactionsApi"/> and <see cref="ICassoTransactionsApi"/>
    /// with their base addresses and the standard resilience handler, and the transient mapping services
    /// <see cref="SePayHistory"/> and <see cref="CassoHistory"/>.
    /// </summary>
    /// <remarks>
    /// Resilience: Microsoft's standard handler (rate limiter, 30 s total timeout, retry, circuit breaker, 10 s attempt
    /// timeout), with the retry set from the options: <see cref="HistoryApiOptions.MaxRetryAttempts"/> retries after a
    /// transient outcome (5xx, 408, 429, connection error, attempt timeout), <see cref="HistoryApiOptions.RetryDelay"/> as
    /// the base of the exponential back-off. Both calls are GETs, so retrying them is safe. The retry settings are read when
    /// this method runs; the base address and credentials are read from the options when a client is created.
    /// </remarks>
    public static IServiceCollection AddBankHistoryClients(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var sepay = AddOptions<SePayHistoryOptions>(services, configuration.GetSection(SePaySectionName));
        var casso = AddOptions<CassoHistoryOptions>(services, configuration.GetSection(CassoSectionName));
        var settings = RefitSettings.ForJsonContext(HistoryJsonContext.Default);

        services.AddRefitGeneratedClient<ISePayTransactionsApi>(settings, SePayHttpClientName)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = sp.GetRequiredService<IOptions<SePayHistoryOptions>>().Value.BaseAddress)
            .AddStandardResilienceHandler(o => ConfigureRetry(o, sepay));
        services.AddRefitGeneratedClient<ICassoTransactionsApi>(settings, CassoHttpClientName)
            .ConfigureHttpClient((sp, client) => client.BaseAddress = sp.GetRequiredService<IOptions<CassoHistoryOptions>>().Value.BaseAddress)
            .AddStandardResilienceHandler(o => ConfigureRetry(o, casso));

        // Transient, like the typed clients they wrap: holding one for the app's lifetime would pin an HttpClient's handler.
        services.AddTransient(sp => new SePayHistory(sp.GetRequiredService<ISePayTransactionsApi>(), sp.GetRequiredService<IOptions<SePayHistoryOptions>>().Value));
        services.AddTransient(sp => new CassoHistory(sp.GetRequiredService<ICassoTransactionsApi>(), sp.GetRequiredService<IOptions<CassoHistoryOptions>>().Value));
        return services;
    }

    private static TOptions AddOptions<TOptions>(IServiceCollection services, IConfigurationSection section)
        where TOptions : HistoryApiOptions, new()
    {
        services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, DataAnnotationsOptionsValidator<TOptions>>());
        var snapshot = section.Get<TOptions>() ?? new TOptions();
        var failures = new DataAnnotationsOptionsValidator<TOptions>().Validate(null, snapshot);
        if (failures.Failed)
        {
            // Fail at registration: the retry settings below are taken from this snapshot.
            throw new OptionsValidationException(typeof(TOptions).Name, typeof(TOptions), failures.Failures);
        }
        return snapshot;
    }

    private static void ConfigureRetry(HttpStandardResilienceOptions resilience, HistoryApiOptions options)
    {
        if (options.MaxRetryAttempts == 0)
        {
            resilience.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
        }
        else
        {
            resilience.Retry.MaxRetryAttempts = options.MaxRetryAttempts;
        }
        resilience.Retry.Delay = options.RetryDelay;
    }
}

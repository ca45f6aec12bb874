using Fees.Api.Bank;
using Fees.Api.Hosting.Demo;
using Fees.Api.Jobs;
using Fees.Api.RuleChecks;
using Fees.Api.Security;
using Fees.BankGateway.Providers;
using Fees.BankGateway.VietQr;
using Fees.Domain.Accounts;
using Fees.Domain.Payments;
using Fees.Persistence;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Accounts;
using Fees.Persistence.Auditing;
using Fees.Persistence.Database;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fees.Api.Hosting;

public static class ServiceRegistration
{
    /// <summary>Everything the service needs, given where its database is.</summary>
    public static WebApplicationBuilder AddFeesApi(this WebApplicationBuilder builder, DatabaseConnections database)
    {
        var services = builder.Services;
        // First hosted service: migrations and grants before anything (Hangfire included) touches the database.
        services.AddHostedService<DatabasePreparation>();
        services.AddOptions<FeesOptions>()
            .Bind(builder.Configuration.GetSection(FeesOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<AccountOptions>().Bind(builder.Configuration.GetSection(FeesOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddSingleton<IRequestContext, HttpRequestContext>();
        services.AddSingleton<IAccessRecorder, HttpAccessRecorder>();
        services.AddScoped(sp => ActorClaims.Current(sp.GetRequiredService<IHttpContextAccessor>()));

        services.AddFeesPersistence(database);
        services.AddRuleChecks();
        services.AddSingleton<IVietQrEncoder, VietQrEncoder>();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<DuesJobs>();
        services.AddScoped<BankJobs>();
        services.AddSingleton<Bank.NotificationBatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<Bank.NotificationBatcher>());
        services.AddScoped<CloseJobs>();
        services.AddScoped<Reports.ReportExports>();
        services.AddBankWebhookAdapters(builder.Configuration);
        services.AddReceiptSigning(builder.Configuration);
        DemoBank.AddDemoBank(builder); // before the history clients: it may point the SePay poller at the fake bank
        services.AddBankPolling(builder.Configuration);

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);
        services.AddFeesOpenApi();

        services.AddAuthentication(SessionAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddFeesPolicies();
        services.AddSignInRateLimit(builder.Configuration);

        // Jobs live in the same database (schema hangfire, installed by the migrations step) and draw their
        // connections from the service's one data source.
        // The storage is this host's own singleton: Hangfire's global JobStorage.Current is shared by every host in a
        // process (the test hosts), so a host that resolved it could end up with another host's, disposed, storage.
        // Several instances on one database share the queue; JobServerOptions says how this one takes part.
        services.AddOptions<JobServerOptions>().Bind(builder.Configuration.GetSection(JobServerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<JobStorage>(sp => new PostgreSqlStorage(new DataSourceConnectionFactory(sp.GetRequiredService<NpgsqlDataSource>()),
            sp.GetRequiredService<IOptions<JobServerOptions>>().Value.Storage()));
        // The same holds for the job activator: AddHangfire registers JobActivator.Current, a global that every host
        // starting in the process overwrites with its own; a server that resolved it after another host had started ran
        // its jobs in that host's services (seen in CI as "Cannot access a disposed object. Object name: 'IServiceProvider'"
        // once that host had stopped). Registered first, this host's own activator wins (AddHangfire only tries to add).
        services.AddSingleton<JobActivator>(sp => new Hangfire.AspNetCore.AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, c) => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(sp.GetRequiredService<JobStorage>()));
        services.AddHangfireServer((sp, o) => sp.GetRequiredService<IOptions<JobServerOptions>>().Value.Apply(o));

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy);
        // Vietnamese is written as text, not as HTML entities (Razor escapes only what must be escaped).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/SignIn");
        });
        return builder;
    }

    /// <summary>Hangfire's connections, from the service's one <see cref="NpgsqlDataSource"/>.</summary>
    private sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }
}

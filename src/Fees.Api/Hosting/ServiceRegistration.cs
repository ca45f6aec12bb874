using Fees.Api.Accounts;
using Fees.Api.Audit;
using Fees.Api.Database;
using Hangfire;
using Hangfire.PostgreSql;
using Fees.Api.Ledger;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fees.Api.Hosting;

public static class ServiceRegistration
{
    /// <summary>Everything the service needs, given where its database is.</summary>
    public static WebApplicationBuilder AddFeesApi(this WebApplicationBuilder builder, DatabaseConnections database)
    {
        var services = builder.Services;
        services.AddSingleton(database);
        // First hosted service: migrations and grants before anything (Hangfire included) touches the database.
        services.AddHostedService<DatabasePreparation>();
        services.AddOptions<FeesOptions>()
            .Bind(builder.Configuration.GetSection(FeesOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();

        services.AddDbContext<FeesDbContext>(o => o
            .UseNpgsql(database.App)
            .UseSnakeCaseNamingConvention());

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);

        services.AddAuthentication(SessionAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, SessionAuthenticationHandler>(SessionAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddPolicy(Policies.Admin, p => p.RequireRole(RoleCodes.Admin))
            .AddPolicy(Policies.Staff, p => p.RequireRole(RoleCodes.Treasurer, RoleCodes.Office, RoleCodes.Auditor, RoleCodes.Admin))
            .AddPolicy(Policies.Recorders, p => p.RequireRole(RoleCodes.Treasurer, RoleCodes.Office, RoleCodes.Admin))
            .AddPolicy(Policies.Importers, p => p.RequireRole(RoleCodes.Office, RoleCodes.Admin))
            .AddPolicy(Policies.Auditors, p => p.RequireRole(RoleCodes.Auditor, RoleCodes.Admin));

        services.AddScoped<PasswordHashing>();
        services.AddScoped<SignInService>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<Imports.ImportService>();
        services.AddScoped<Dues.DuesGeneration>();
        services.AddScoped<Dues.DuesJobs>();
        services.AddScoped<Payments.PaymentRequests>();

        // Jobs live in the same database, schema hangfire, installed by the migrations step (StartupTasks.Migrate).
        services.AddHangfire(c => c
            .SetDataCompatibilityLevel(Hangfire.CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(database.App), new Hangfire.PostgreSql.PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false }));
        services.AddHangfireServer(o => o.WorkerCount = 2);
        services.AddLedger();

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
}

using Fees.Api.Hosting.Embedded;
using Fees.Persistence.Database;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog;
using Serilog.Formatting.Compact;

namespace Fees.Api.Hosting;

public static class HostingExtensions
{
    /// <summary>
    /// The configured database (<c>ConnectionStrings__Fees</c>), or the embedded default: a private PostgreSQL
    /// started here and stopped with the service, demo data and demo users, and the default address.
    /// </summary>
    public static async Task<DatabaseConnections> UseFeesDatabase(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        string dataDir = LocalSetup.DataDirectory(config, builder.Environment.ContentRootPath);
        config[$"{FeesOptions.Section}:DataDirectory"] = dataDir;
        if (config["FEES_ADMIN_PASSWORD"] is { Length: > 0 } adminPassword)
        {
            config[$"{FeesOptions.Section}:AdminPassword"] = adminPassword;
        }
        // The operator's recovery of the built-in admin (FeesOptions refuses it without a password chosen now).
        bool adminReset = config["FEES_ADMIN_RESET"] is "1" or "true";
        if (adminReset)
        {
            config[$"{FeesOptions.Section}:AdminReset"] = "true";
        }

        string? configured = config.GetConnectionString("Fees");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            string owner = config.GetConnectionString("FeesOwner") is { Length: > 0 } o ? o : configured;
            return new DatabaseConnections(owner, configured);
        }

        Directory.CreateDirectory(dataDir);
        var (database, cluster) = await EmbeddedDatabase.StartAsync(dataDir, m => Log.Information("{Message}", m));
        config[$"{FeesOptions.Section}:Embedded"] = "true";
        // Demo secrets for the bank feeds, in the embedded default only (a configured service sets its own or has none).
        config["Bank:Providers:generic:Secret"] ??= LocalSetup.DemoGenericSecret;
        config["Bank:Providers:sepay:ApiKey"] ??= LocalSetup.DemoSePayApiKey;
        config["Bank:Providers:casso:ChecksumKey"] ??= LocalSetup.DemoCassoChecksumKey;
        config[$"{FeesOptions.Section}:SeedDemo"] ??= "true";
        // The demo's fake bank (FakeBank as a child process) and its simulated transfers: Fees:DemoBank.
        config[$"{FeesOptions.Section}:DemoBank:Enabled"] ??= "true";
        if (string.IsNullOrEmpty(config[$"{FeesOptions.Section}:AdminPassword"]) && !adminReset)
        {
            config[$"{FeesOptions.Section}:AdminPassword"] = LocalSetup.DemoAdminPassword;
            Log.Information("Embedded default: the built-in admin's password is {AdminPassword} (set FEES_ADMIN_PASSWORD to choose one)", LocalSetup.DemoAdminPassword);
        }
        if (string.IsNullOrEmpty(config["urls"]) && string.IsNullOrEmpty(config["ASPNETCORE_URLS"]) && string.IsNullOrEmpty(config["ASPNETCORE_HTTP_PORTS"]))
        {
            builder.WebHost.UseUrls(LocalSetup.DefaultUrl);
        }
        // Stop the cluster with the service (Ctrl+C, SIGTERM), after the server has drained.
        builder.Services.AddHostedService(_ => new ClusterLifetime(cluster));
        return database;
    }

    /// <summary>Serilog: readable console, compact JSON file under the data directory, one event per request, each sink written asynchronously.</summary>
    public static void AddFeesLogging(this WebApplicationBuilder builder)
    {
        string logDir = Path.Combine(builder.Configuration[$"{FeesOptions.Section}:DataDirectory"]!, "logs");
        builder.Services.AddSerilog((services, lc) => lc
            .ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Warning)
            // The history pollers' HTTP calls log their own outcome; four lines per call would drown the rest.
            .MinimumLevel.Override("System.Net.Http.HttpClient", Serilog.Events.LogEventLevel.Warning)
            .Enrich.FromLogContext()
            // Written on a background thread of each sink's own (bounded: 10,000 events, then counted drops, never a
            // blocked request): a request no longer waits on the console's lock or the file.
            .WriteTo.Async(a => a.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture))
            .WriteTo.Async(a => a.File(new CompactJsonFormatter(), Path.Combine(logDir, "fees-.clef"), rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: 30)),
            // The static bootstrap logger stays as it is: several hosts in one process (the tests) must not share it.
            preserveStaticLogger: true);
    }

    public static void UseFeesPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter(); // after routing: the sign-in endpoints name their policy
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
    }

    /// <summary><c>GET /health</c>: 200 when the database answers, 503 otherwise; anonymous.</summary>
    public static void MapFeesHealth(this WebApplication app) =>
        app.MapGet("/health", async Task<Results<Ok<HealthView>, JsonHttpResult<HealthView>>> (HealthCheckService health, CancellationToken ct) =>
        {
            var report = await health.CheckHealthAsync(ct);
            var view = new HealthView(report.Status.ToString(),
                report.Entries.ToDictionary(e => e.Key, e => new HealthCheckView(e.Value.Status.ToString(), e.Value.Description)),
                (long)report.TotalDuration.TotalMilliseconds);
            return report.Status == HealthStatus.Healthy
                ? TypedResults.Ok(view)
                : TypedResults.Json(view, statusCode: StatusCodes.Status503ServiceUnavailable);
        })
        .AllowAnonymous()
        .Produces<HealthView>(StatusCodes.Status503ServiceUnavailable);
}

public sealed record HealthCheckView(string Status, string? Description);

/// <summary>The health answer: <c>{"status":"Healthy","checks":{…},"durationMs":…}</c>.</summary>
public sealed record HealthView(string Status, IReadOnlyDictionary<string, HealthCheckView> Checks, long DurationMs);

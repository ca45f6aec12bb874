using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using FakeBank.Banking;
using FakeBank.Configuration;
using FakeBank.Delivery;
using FakeBank.Endpoints;
using FakeBank.Time;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging.Console;

namespace FakeBank.Hosting;

internal static class FakeBankHost
{
    /// <summary>The one line a parent process waits for on stdout, followed by the base URL.</summary>
    public const string ListeningMarker = "FAKEBANK_LISTENING";

    public static void AddFakeBank(this WebApplicationBuilder builder, bool exitWithParent, bool manualClock)
    {
        // stdout carries only the machine-readable line; every log goes to stderr.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            // A misspelt knob must fail loudly rather than be ignored and leave a test testing nothing.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // Money is a JSON integer; "1000" as a string is a mistake worth a 400 (the web defaults would accept it).
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        // Not registered as the container's TimeProvider: only the fake's own schedule runs on a manual clock.
        builder.Services.AddSingleton(manualClock
            ? SchedulerClock.ManualFrom(StartupConfiguration.ManualClockStart(builder.Configuration, TimeProvider.System.GetUtcNow()))
            : SchedulerClock.Real());
        builder.Services.AddSingleton<BankClock>();
        builder.Services.AddSingleton<SettingsStore>();
        builder.Services.AddSingleton(sp => new Ledger(StartupConfiguration.IdBase(builder.Configuration, TimeProvider.System.GetUtcNow())));
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        if (exitWithParent)
        {
            builder.Services.AddHostedService<ParentWatcher>();
        }
    }

    public static void MapFakeBank(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                var problem = Problems.BadRequest("malformed_request", ex.InnerException?.Message ?? ex.Message);
                await problem.ExecuteAsync(context);
            }
        });
        app.MapHomePage();
        app.MapControl();
        app.MapHistory();
    }

    /// <summary>The bound address to announce, preferring IPv4 loopback when <c>localhost</c> bound both.</summary>
    public static string ListeningAddress(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return addresses.FirstOrDefault(a => a.Contains("127.0.0.1", StringComparison.Ordinal)) ?? addresses.First();
    }
}

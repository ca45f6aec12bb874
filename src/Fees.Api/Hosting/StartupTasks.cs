using Fees.Api.Hosting.Demo;
using Fees.Api.Jobs;
using Fees.Persistence.Accounts;
using Fees.Persistence.Database;
using Microsoft.Extensions.Options;

namespace Fees.Api.Hosting;

/// <summary>
/// What runs once before the service answers: migrations, the app role's grants, the built-in admin, the job
/// schedule, and (embedded default only) the demo province. A hosted service registered before the web server, so
/// it also runs under the tests' WebApplicationFactory.
/// </summary>
internal sealed class DatabasePreparation(IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Migrator.Migrate(services.GetRequiredService<DatabaseConnections>(), cancellationToken);
        // The months just ahead exist before anything writes them (generation also creates its own month first).
        await PeriodPartitions.Ensure(services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            Fees.Domain.Time.VietnamTime.CurrentPeriod(services.GetRequiredService<TimeProvider>()).AddMonths(PeriodPartitions.MonthsAheadAtStart), cancellationToken);

        using var scope = services.CreateScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<FeesOptions>>().Value;
        var users = scope.ServiceProvider.GetRequiredService<Users>();
        await users.EnsureBuiltInAdmin(options.AdminPassword, cancellationToken);
        if (options.AdminReset)
        {
            await users.RecoverBuiltInAdmin(options.AdminPassword!, cancellationToken);
            scope.ServiceProvider.GetRequiredService<ILogger<DatabasePreparation>>().LogWarning(
                "FEES_ADMIN_RESET: the built-in admin's password was reset, the account unlocked and its sessions ended. Start without FEES_ADMIN_RESET from now on.");
        }
        var recurring = scope.ServiceProvider.GetRequiredService<Hangfire.IRecurringJobManager>();
        DuesJobs.Schedule(recurring);
        BankJobs.Schedule(recurring);
        CloseJobs.Schedule(recurring);
        BankPollJobs.Schedule(scope.ServiceProvider);
        // Demo data goes only into the embedded database, never into one somebody configured.
        if (options.Embedded && options.SeedDemo)
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmpty(options.DemoMembers, options.SeedDemoStatements, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

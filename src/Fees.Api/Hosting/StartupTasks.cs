using Fees.Api.Accounts;
using Fees.Api.Audit;
using Fees.Api.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Fees.Api.Hosting;

/// <summary>
/// What runs once before the service answers: migrations, the app role's grants, the admin, the demo data.
/// A hosted service registered before the web server, so it also runs under the tests' WebApplicationFactory.
/// </summary>
internal sealed class DatabasePreparation(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => StartupTasks.PrepareDatabase(services, cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class StartupTasks
{
    public static async Task PrepareDatabase(IServiceProvider services, CancellationToken ct = default)
    {
        var database = services.GetRequiredService<DatabaseConnections>();
        await Migrate(database, ct);

        using var scope = services.CreateScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<FeesOptions>>().Value;
        await EnsureAdmin(scope.ServiceProvider, options, ct);
        Dues.DuesJobs.Schedule(scope.ServiceProvider.GetRequiredService<Hangfire.IRecurringJobManager>());
        if (options.SeedDemo)
        {
            var seeder = ActivatorUtilities.CreateInstance<Imports.DemoSeeder>(scope.ServiceProvider);
            await seeder.SeedIfEmpty(options.DemoMembers, options.SeedDemoStatements, ct);
        }
    }

    /// <summary>Applies migrations as the owner, then (when the service runs as its own role) grants that role its rights.</summary>
    public static async Task Migrate(DatabaseConnections database, CancellationToken ct = default)
    {
        var ownerOptions = new DbContextOptionsBuilder<FeesDbContext>()
            .UseNpgsql(database.Owner)
            .UseSnakeCaseNamingConvention()
            .Options;
        await using (var owner = new FeesDbContext(ownerOptions))
        {
            await owner.Database.MigrateAsync(ct);
        }
        // Hangfire's tables are installed here, by the owner, so the service's role never needs CREATE on the database.
        await using (var conn = new Npgsql.NpgsqlConnection(database.Owner))
        {
            await conn.OpenAsync(ct);
            Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(conn, "hangfire");
        }
        if (database.Owner != database.App)
        {
            await DatabaseStartup.GrantAppRole(database.Owner, ct);
        }
    }

    private static async Task EnsureAdmin(IServiceProvider services, FeesOptions options, CancellationToken ct)
    {
        var db = services.GetRequiredService<FeesDbContext>();
        if (await db.Users.AnyAsync(u => u.Username == "admin", ct))
        {
            return;
        }
        if (string.IsNullOrEmpty(options.AdminPassword))
        {
            throw new InvalidOperationException("FEES_ADMIN_PASSWORD must be set on the first start with a real database (it becomes the password of the built-in 'admin').");
        }
        var clock = services.GetRequiredService<TimeProvider>();
        var hashing = services.GetRequiredService<PasswordHashing>();
        var now = clock.GetUtcNow();
        var admin = new UserAccount { Username = "admin", PasswordHash = "", Role = Role.Admin, CreatedAt = now, UpdatedAt = now };
        admin.PasswordHash = hashing.Hash(admin, options.AdminPassword);
        db.Users.Add(admin);
        services.GetRequiredService<AuditTrail>().Record(CurrentUser.System, "user.create", "user", "admin", null, new { username = "admin", role = "admin" }, null);
        await db.SaveChangesAsync(ct);
    }
}

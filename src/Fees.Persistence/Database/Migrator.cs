using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fees.Persistence.Database;

/// <summary>
/// Brings a database to the current schema, as its owner: EF migrations, Hangfire's tables (so the service's role
/// never needs CREATE), the rows the database checks statuses against, and, when the service runs as its own role,
/// that role's grants.
/// </summary>
public static class Migrator
{
    public static async Task Migrate(DatabaseConnections database, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        var ownerOptions = new DbContextOptionsBuilder<FeesDbContext>()
            .UseNpgsql(database.Owner)
            .UseSnakeCaseNamingConvention()
            .Options;
        await using (var owner = new FeesDbContext(ownerOptions))
        {
            // A migration that moves a table's rows into partitions is one statement as long as the table is big (every
            // receipt, every allocation's receipt_period): the bulk timeout, not Npgsql's 30 s (which a loaded
            // two-core machine also exceeded on the empty test template, cancelling the run).
            owner.Database.SetCommandTimeout(BulkCommands.Timeout);
            await owner.Database.MigrateAsync(ct);
        }
        await using (var conn = new NpgsqlConnection(database.Owner))
        {
            await conn.OpenAsync(ct);
            Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(conn, "hangfire");
            await StatusTables.Write(conn, ct);
            await Closing.RetentionRules.SeedDefaults(conn, ct);
        }
        if (database.Owner != database.App)
        {
            await DatabaseRoles.GrantAppRole(database.Owner, ct);
        }
    }
}

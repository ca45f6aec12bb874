using System.Security.Cryptography;
using Fees.Persistence.Database;

namespace Fees.Api.Hosting.Embedded;

/// <summary>
/// The embedded default: a private cluster under the data directory, a <c>fees</c> database, and the non-superuser
/// role <c>fees_app</c> (its password kept in the data directory) for the service.
/// </summary>
public static class EmbeddedDatabase
{
    public const string DatabaseName = "fees";

    public static async Task<(DatabaseConnections Connections, PostgresCluster Cluster)> StartAsync(string dataDirectory, Action<string> log, CancellationToken ct = default)
    {
        var cluster = await PostgresCluster.StartAsync(dataDirectory, log, ct);
        string appPasswordFile = Path.Combine(dataDirectory, "pg-app-password");
        if (!File.Exists(appPasswordFile))
        {
            await File.WriteAllTextAsync(appPasswordFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant() + "\n", ct);
            FileModes.Set(appPasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        string appPassword = (await File.ReadAllTextAsync(appPasswordFile, ct)).Trim();
        await DatabaseRoles.EnsureDatabaseAndRole(cluster.ConnectionString(), DatabaseName, appPassword, ct);
        string owner = cluster.ConnectionString(DatabaseName);
        return (new DatabaseConnections(owner, DatabaseRoles.AppConnectionString(owner, appPassword)), cluster);
    }
}

/// <summary>Stops the embedded cluster when the host stops.</summary>
internal sealed class ClusterLifetime(PostgresCluster cluster) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => cluster.StopAsync();
}

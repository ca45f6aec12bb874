using Npgsql;

namespace Fees.Persistence.Database;

/// <summary>
/// The one <see cref="NpgsqlDataSource"/> of the service (its restricted role): EF Core, the ledger, the bulk paths and
/// Hangfire all draw their connections from it, so there is one pool, one set of connection settings.
/// </summary>
public static class FeesDataSource
{
    public static NpgsqlDataSource Create(string appConnectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(appConnectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "partytthc-fees";
        return builder.Build();
    }
}

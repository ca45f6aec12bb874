using Npgsql;

namespace Fees.Persistence.Database;

/// <summary>
/// The one <see cref="NpgsqlDataSource"/> of the service (its restricted role): EF Core, the ledger, the bulk paths and
/// Hangfire all draw their connections from it, so there is one pool, one set of connection settings.
/// </summary>
/// <remarks>
/// <para>Two settings make a short write cost one round trip and one commit instead of two transactions and a fresh
/// plan (issue 12 measured a posting at parse 0.31 ms + plan 0.27 ms + execute 0.58 ms, and a second transaction per
/// posting for the reset):</para>
/// <list type="bullet">
/// <item><b>No Reset On Close</b>: a connection returned to the pool is not sent <c>DISCARD ALL</c>, so the next
/// user finds it as the last one left it. That is safe only because nothing in the service leaves session state
/// behind: settings are transaction-local (<c>set transaction …</c>, <c>set_config(…, true)</c>), temp tables are
/// <c>on commit drop</c>, advisory locks are <c>pg_advisory_xact_lock</c>, and nobody <c>LISTEN</c>s on a pooled
/// connection. <c>DataSourceSessionTests</c> checks the code for it.</item>
/// <item><b>Automatic preparation</b>: a statement run <see cref="AutoPrepareMinUsages"/> times on a physical
/// connection is prepared there (up to <see cref="MaxAutoPrepare"/> per connection, least recently used replaced), so
/// the hot statements are parsed and planned once per connection rather than on every call.</item>
/// </list>
/// </remarks>
public static class FeesDataSource
{
    /// <summary>Prepared statements kept per physical connection: the service's hot set is well under this.</summary>
    public const int MaxAutoPrepare = 128;

    /// <summary>Executions of one SQL text on one connection after which it is prepared.</summary>
    public const int AutoPrepareMinUsages = 2;

    public static NpgsqlDataSource Create(string appConnectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(appConnectionString);
        var settings = builder.ConnectionStringBuilder;
        settings.ApplicationName ??= "partytthc-fees";
        settings.NoResetOnClose = true;
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = MaxAutoPrepare;
            settings.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }
        return builder.Build();
    }
}

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
/// <para>And one setting sent when a connection starts: <b>no JIT compilation</b> (<c>-c jit=off</c>, unless the
/// connection string's Options already say how to JIT). PostgreSQL compiles a plan whose estimated cost passes
/// <c>jit_above_cost</c>; the service's large statements are set-based scans and joins that spend little time in
/// expressions, and compiling them cost seconds: about 2 s of each large import statement (13 s of the national load at
/// scale 0.1), and 3.6 s of the 10.9 s B01/ĐP of Hà Nội at national scale (EXPLAIN ANALYZE: inlining 1.0 s,
/// optimization 1.5 s, emission 1.0 s), for no measurable gain in execution (docs/performance.md).</para>
/// </remarks>
public static class FeesDataSource
{
    /// <summary>Prepared statements kept per physical connection: the service's hot set is well under this.</summary>
    public const int MaxAutoPrepare = 128;

    /// <summary>Executions of one SQL text on one connection after which it is prepared.</summary>
    public const int AutoPrepareMinUsages = 2;

    /// <summary>The startup option that turns JIT compilation off for the service's sessions.</summary>
    public const string NoJit = "-c jit=off";

    public static NpgsqlDataSource Create(string appConnectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(appConnectionString);
        var settings = builder.ConnectionStringBuilder;
        settings.ApplicationName ??= "partytthc-fees";
        settings.NoResetOnClose = true;
        if (settings.Options is null || !settings.Options.Contains("jit", StringComparison.Ordinal))
        {
            settings.Options = string.IsNullOrWhiteSpace(settings.Options) ? NoJit : settings.Options + " " + NoJit;
        }
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = MaxAutoPrepare;
            settings.AutoPrepareMinUsages = AutoPrepareMinUsages;
        }
        return builder.Build();
    }
}

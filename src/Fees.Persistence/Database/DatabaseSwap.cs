using System.Text.RegularExpressions;
using Npgsql;

namespace Fees.Persistence.Database;

/// <summary>
/// What a restore does to a cluster's databases, as its superuser: make a fresh database to restore into, see who is
/// connected to the live one, and put the restored database in the live one's place (keeping the previous one under
/// another name) in one transaction, which PostgreSQL refuses while anyone is connected to either.
/// </summary>
public static partial class DatabaseSwap
{
    /// <summary>PostgreSQL's "object in use": a database renamed or dropped while someone is connected to it.</summary>
    public const string ObjectInUse = "55006";

    /// <summary>A fresh, empty database (from <c>template0</c>, UTF-8), for a restore.</summary>
    public static async Task CreateEmpty(string superuserConnectionString, string database, CancellationToken ct = default)
    {
        await using var conn = await Open(superuserConnectionString, ct);
        await using var cmd = new NpgsqlCommand($"create database {Quote(database)} template template0 encoding 'UTF8'", conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task DropIfExists(string superuserConnectionString, string database, CancellationToken ct = default)
    {
        await using var conn = await Open(superuserConnectionString, ct);
        await using var cmd = new NpgsqlCommand($"drop database if exists {Quote(database)}", conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<bool> Exists(string superuserConnectionString, string database, CancellationToken ct = default)
    {
        await using var conn = await Open(superuserConnectionString, ct);
        await using var cmd = new NpgsqlCommand("select exists (select from pg_database where datname = @d)", conn);
        cmd.Parameters.AddWithValue("d", database);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The other sessions connected to <paramref name="database"/>, described for a person (pid, application, address).</summary>
    public static async Task<IReadOnlyList<string>> Sessions(string superuserConnectionString, string database, CancellationToken ct = default)
    {
        await using var conn = await Open(superuserConnectionString, ct);
        await using var cmd = new NpgsqlCommand("""
            select 'pid ' || pid || coalesce(' ' || nullif(application_name, ''), '') || coalesce(' from ' || host(client_addr), '')
            from pg_stat_activity where datname = @d and pid <> pg_backend_pid() order by pid
            """, conn);
        cmd.Parameters.AddWithValue("d", database);
        var sessions = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            sessions.Add(reader.GetString(0));
        }
        return sessions;
    }

    /// <summary>
    /// Renames <paramref name="live"/> to <paramref name="keptAs"/> and <paramref name="replacement"/> to
    /// <paramref name="live"/>, both or neither. False, and nothing changed, when someone is connected to either database.
    /// </summary>
    public static async Task<bool> Swap(string superuserConnectionString, string live, string replacement, string keptAs, CancellationToken ct = default)
    {
        await using var conn = await Open(superuserConnectionString, ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            await using (var cmd = new NpgsqlCommand(
                $"alter database {Quote(live)} rename to {Quote(keptAs)}; alter database {Quote(replacement)} rename to {Quote(live)};", conn, tx))
            {
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == ObjectInUse)
        {
            await tx.RollbackAsync(ct);
            return false;
        }
    }

    /// <summary>A database name as an identifier; only the plain names this service makes are accepted.</summary>
    public static string Quote(string database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (!PlainName().IsMatch(database))
        {
            throw new ArgumentException($"'{database}' is not a plain database name (letters, digits, underscores; at most 63).", nameof(database));
        }
        return "\"" + database + "\"";
    }

    private static async Task<NpgsqlConnection> Open(string superuserConnectionString, CancellationToken ct)
    {
        // Not pooled: a pooled idle session would itself hold the database a later rename or drop needs free.
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(superuserConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync(ct);
        return conn;
    }

    [GeneratedRegex("^[A-Za-z0-9_]{1,63}$")]
    private static partial Regex PlainName();
}

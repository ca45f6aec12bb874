using System.Security.Cryptography;
using Npgsql;

namespace Fees.Api.Database;

/// <summary>Connection strings the service uses: an owner for migrations and a restricted role for everything else.</summary>
public sealed record DatabaseConnections(string Owner, string App, PostgresCluster? Cluster);

/// <summary>
/// Decides where the database is. With <c>ConnectionStrings__Fees</c> set, that database is used as it is.
/// Otherwise the embedded default: a private cluster under the data directory, a <c>fees</c> database, and a
/// non-superuser role <c>fees_app</c> for the service, which cannot UPDATE or DELETE audit rows.
/// </summary>
public static class DatabaseStartup
{
    public const string AppRole = "fees_app";
    public const string DatabaseName = "fees";

    public static async Task<DatabaseConnections> EmbeddedAsync(string dataDirectory, Action<string> log, CancellationToken ct = default)
    {
        var cluster = await PostgresCluster.StartAsync(dataDirectory, log, ct);
        string appPasswordFile = Path.Combine(dataDirectory, "pg-app-password");
        if (!File.Exists(appPasswordFile))
        {
            await File.WriteAllTextAsync(appPasswordFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant() + "\n", ct);
            FileModes.Set(appPasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        string appPassword = (await File.ReadAllTextAsync(appPasswordFile, ct)).Trim();
        await EnsureDatabaseAndRole(cluster.ConnectionString(), DatabaseName, appPassword, ct);
        return new DatabaseConnections(
            cluster.ConnectionString(DatabaseName),
            AppConnectionString(cluster.ConnectionString(DatabaseName), appPassword),
            cluster);
    }

    public static string AppConnectionString(string ownerConnectionString, string appPassword) =>
        new NpgsqlConnectionStringBuilder(ownerConnectionString) { Username = AppRole, Password = appPassword }.ConnectionString;

    /// <summary>Creates the application role (once per cluster) and the database (once), owned by the superuser.</summary>
    public static async Task EnsureDatabaseAndRole(string superuserConnectionString, string database, string appPassword, CancellationToken ct = default, string? template = null)
    {
        await using var conn = new NpgsqlConnection(superuserConnectionString);
        await conn.OpenAsync(ct);
        await using (var role = new NpgsqlCommand(
            $"""
            do $$ begin
              if not exists (select from pg_roles where rolname = '{AppRole}') then
                create role {AppRole} login nosuperuser nocreatedb nocreaterole noinherit;
              end if;
            end $$;
            alter role {AppRole} password '{appPassword.Replace("'", "''", StringComparison.Ordinal)}';
            """, conn))
        {
            await role.ExecuteNonQueryAsync(ct);
        }
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @d", conn);
        exists.Parameters.AddWithValue("d", database);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            string sql = template is null
                ? $"create database \"{database}\" encoding 'UTF8'"
                : $"create database \"{database}\" template \"{template}\"";
            await using var create = new NpgsqlCommand(sql, conn);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Gives the application role what it needs and no more: all data tables read/write, the audit log
    /// read and append only (never UPDATE, DELETE or TRUNCATE), the ledger's entries and postings likewise, and Hangfire's tables.
    /// Run after migrations, as the owner.
    /// </summary>
    public static async Task GrantAppRole(string ownerConnectionString, CancellationToken ct = default)
    {
        await using var conn = new NpgsqlConnection(ownerConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"""
            grant connect, temporary on database "{conn.Database}" to {AppRole};
            grant usage on schema public to {AppRole};
            grant select, insert, update, delete on all tables in schema public to {AppRole};
            grant usage, select on all sequences in schema public to {AppRole};
            revoke update, delete, truncate on audit_log from {AppRole};
            revoke update, delete, truncate on ledger_entries, ledger_postings from {AppRole};
            revoke delete, truncate on ledger_balances from {AppRole};
            revoke insert, update, delete, truncate on "__EFMigrationsHistory" from {AppRole};
            grant usage on schema hangfire to {AppRole};
            grant select, insert, update, delete on all tables in schema hangfire to {AppRole};
            grant usage, select, update on all sequences in schema hangfire to {AppRole};
            """, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

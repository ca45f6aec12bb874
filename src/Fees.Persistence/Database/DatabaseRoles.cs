using Npgsql;

namespace Fees.Persistence.Database;

/// <summary>
/// The database's roles: the owner applies migrations; the service runs as the non-superuser <c>fees_app</c>, which
/// cannot UPDATE, DELETE or TRUNCATE the append-only tables (audit log, access trace, ledger entries, postings and sources).
/// </summary>
public static class DatabaseRoles
{
    public const string AppRole = "fees_app";

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
    /// read and append only (never UPDATE, DELETE or TRUNCATE), the ledger's entries and postings likewise, the monthly paid
    /// totals read only (the statements' triggers write them, as the owner), organizations never deleted (a dissolved
    /// organization keeps its history; the statements' check of their organization relies on it), and Hangfire's tables;
    /// and EXECUTE on <c>close_statistics_refresh()</c> (ANALYZE of the close tables as their owner, after each depth of a cascade)
    /// and on <c>ensure_period_partitions(date)</c> and <c>(date, date)</c> (a month's partitions, see <see cref="PeriodPartitions"/>) and
    /// <c>period_statistics_refresh(date)</c> (ANALYZE of a month's grown partitions, see <see cref="PartitionStatistics"/>) and
    /// <c>generation_statistics_refresh()</c> (ANALYZE of generation's stale inputs, see <see cref="PartitionStatistics.RefreshGenerationInputs"/>);
    /// nothing on a partition itself.
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
            revoke update, delete, truncate on access_trace from {AppRole};
            revoke update, delete, truncate on ledger_entries, ledger_postings, ledger_sources from {AppRole};
            revoke delete, truncate on ledger_balances from {AppRole};
            revoke insert, update, delete, truncate on "__EFMigrationsHistory" from {AppRole};
            revoke insert, update, delete, truncate on dues_statement_transitions from {AppRole};
            revoke update, delete, truncate on bank_transactions, receipt_allocations from {AppRole};
            grant update (org_id, state, processed_at) on bank_transactions to {AppRole};
            revoke delete, truncate on receipts from {AppRole};
            revoke update, delete, truncate on payment_receipts, receipt_signing_keys from {AppRole};
            revoke delete, truncate on payment_receipt_counters from {AppRole};
            revoke update, delete, truncate on retention_rules, period_close_children, period_close_waivers from {AppRole};
            revoke delete, truncate on period_closes, remittance_orders from {AppRole};
            revoke insert, update, delete, truncate on remittance_order_transitions from {AppRole};
            revoke insert, update, delete, truncate on dues_paid_by_org_month from {AppRole};
            revoke delete, truncate on orgs from {AppRole};
            grant execute on function close_statistics_refresh() to {AppRole};
            grant execute on function ensure_period_partitions(date) to {AppRole};
            grant execute on function period_statistics_refresh(date) to {AppRole};
            grant execute on function generation_statistics_refresh() to {AppRole};
            grant execute on function ensure_period_partitions(date, date) to {AppRole};
            do $$
            declare p regclass;
            begin
              -- Partitions are reached through their parent only (whose grants and revokes above decide): the grant on
              -- all tables must not open a back door around a revoke (e.g. UPDATE on an allocation's partition).
              for p in select c.oid::regclass from pg_class c where c.relnamespace = 'public'::regnamespace and c.relispartition and c.relkind in ('r', 'p') loop
                execute format('revoke all on %s from {AppRole}', p);
              end loop;
            end $$;
            grant usage on schema hangfire to {AppRole};
            grant select, insert, update, delete on all tables in schema hangfire to {AppRole};
            grant usage, select, update on all sequences in schema hangfire to {AppRole};
            """, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

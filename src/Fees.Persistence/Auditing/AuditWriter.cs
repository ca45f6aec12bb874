using System.Text.Json;
using Fees.Domain.Accounts;
using Fees.Persistence.Database;
using Npgsql;
using NpgsqlTypes;

namespace Fees.Persistence.Auditing;

/// <summary>
/// The one writer of the audit log. A change made through the DbContext adds its record to the same unit of work
/// (<see cref="Add"/>), so both commit or neither does; a set-based change copies its records in on its own
/// connection and transaction (<see cref="Copy(Npgsql.NpgsqlConnection, Actor, IEnumerable{AuditEntry}, DateTimeOffset, CancellationToken)"/>), in one binary COPY; records derived from rows
/// already on the server (an import's changes) are written there by one INSERT … SELECT (<see cref="InsertSelected"/>).
/// Either way the record carries the actor, the role, the time and the request.
/// </summary>
public sealed class AuditWriter(TimeProvider clock, IRequestContext request)
{
    private const string CopyCommand =
        "copy audit_log (at, actor, actor_role, action, target_type, target_id, before, after, request_id, org_path) from stdin (format binary)";

    /// <summary>Adds the record to <paramref name="db"/>'s unit of work; it is written by the next SaveChanges.</summary>
    public void Add(FeesDbContext db, Actor actor, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(entry);
        db.AuditLog.Add(new AuditRecord
        {
            At = clock.GetUtcNow(),
            Actor = actor.Username,
            ActorRole = actor.Role.ToCode(),
            Action = entry.Action,
            TargetType = entry.TargetType,
            TargetId = entry.TargetId,
            Before = entry.BeforeJson is null ? null : JsonDocument.Parse(entry.BeforeJson),
            After = entry.AfterJson is null ? null : JsonDocument.Parse(entry.AfterJson),
            RequestId = request.RequestId,
            OrgPath = entry.OrgPath,
        });
    }

    /// <summary>Writes the records on <paramref name="connection"/> (inside the caller's transaction) in one COPY.</summary>
    /// <returns>How many were written.</returns>
    public async Task<int> Copy(NpgsqlConnection connection, Actor actor, IEnumerable<AuditEntry> entries, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(entries);
        int n = 0;
        await using var copy = await connection.BeginBinaryImportAsync(CopyCommand, ct);
        foreach (var e in entries)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(at, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(actor.Username, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(actor.Role.ToCode(), NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(e.Action, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(e.TargetType, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(e.TargetId, NpgsqlDbType.Varchar, ct);
            await WriteNullable(copy, e.BeforeJson, NpgsqlDbType.Jsonb, ct);
            await WriteNullable(copy, e.AfterJson, NpgsqlDbType.Jsonb, ct);
            await WriteNullable(copy, request.RequestId, NpgsqlDbType.Varchar, ct);
            await WriteNullable(copy, e.OrgPath, NpgsqlDbType.Text, ct);
            n++;
        }
        await copy.CompleteAsync(ct);
        return n;
    }

    /// <summary>
    /// One record per row of <paramref name="query"/>, written on the server by one INSERT … SELECT inside the caller's
    /// transaction: the rows never travel to the service and back. The query selects (line, action, target_type,
    /// target_id, before json, after json, org_path), in any order: records are numbered in the order of <c>line</c>. The record's
    /// province is its organization's, the value the <c>audit_log_province</c> trigger would give it, looked up in the
    /// same statement so that the per-row trigger does not fire. Before, an import's records were read back through a
    /// cursor and COPYed in again: at national scale (5.6 million member records) that round trip was the largest part
    /// of the loading process's CPU (docs/performance.md).
    /// </summary>
    /// <returns>How many were written.</returns>
    public async Task<int> InsertSelected(NpgsqlConnection connection, Actor actor, string query, DateTimeOffset at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        await using var cmd = BulkCommands.Command($"""
            insert into audit_log (at, actor, actor_role, action, target_type, target_id, before, after, request_id, org_path, province_id)
            select @at, @actor, @role, q.action, q.target_type, q.target_id, q.before::jsonb, q.after::jsonb, @request, q.org_path,
                   coalesce((select o.province_id from orgs o where o.path = q.org_path), 0)
            from ({query}) as q (line, action, target_type, target_id, before, after, org_path)
            order by q.line
            """, connection);
        cmd.Parameters.AddWithValue("at", at);
        cmd.Parameters.AddWithValue("actor", actor.Username);
        cmd.Parameters.AddWithValue("role", actor.Role.ToCode());
        cmd.Parameters.AddWithValue("request", NpgsqlDbType.Varchar, (object?)request.RequestId ?? DBNull.Value);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>One record on <paramref name="connection"/>, inside the caller's transaction.</summary>
    public Task<int> Copy(NpgsqlConnection connection, Actor actor, AuditEntry entry, CancellationToken ct) =>
        Copy(connection, actor, [entry], clock.GetUtcNow(), ct);

    private static async Task WriteNullable(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(ct);
        }
        else
        {
            await copy.WriteAsync(value, type, ct);
        }
    }
}

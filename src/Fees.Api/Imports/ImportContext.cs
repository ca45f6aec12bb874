using System.Security.Cryptography;
using Fees.Api.Accounts;
using Fees.Api.Database;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fees.Api.Imports;

/// <summary>The counts every import answers with (contract §3).</summary>
public sealed record ImportResult(int Created, int Updated, int Unchanged);

/// <summary>Either the counts, or every bad row (nothing was written).</summary>
public sealed record ImportOutcome(ImportResult? Result, IReadOnlyList<RowError> Errors)
{
    public bool Succeeded => Result is not null;
    public static ImportOutcome Failed(IEnumerable<RowError> errors) =>
        new(null, errors.OrderBy(e => e.Line).ThenBy(e => e.Column, StringComparer.Ordinal).ToList());
}

/// <summary>
/// What an import runs with: one open transaction on the service's connection (COPY, checks, merge and audit
/// rows all inside it), the actor and their scope, the request id and "now".
/// </summary>
public sealed class ImportContext : IAsyncDisposable
{
    private readonly Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction _tx;

    private ImportContext(FeesDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, CurrentUser actor, string? requestId, DateTimeOffset now, DateOnly today)
    {
        Db = db;
        _tx = tx;
        Actor = actor;
        RequestId = requestId;
        Now = now;
        Today = today;
    }

    public FeesDbContext Db { get; }
    public NpgsqlConnection Connection => (NpgsqlConnection)Db.Database.GetDbConnection();
    public CurrentUser Actor { get; }
    public string? RequestId { get; }
    public DateTimeOffset Now { get; }
    public DateOnly Today { get; }

    /// <summary>Scope prefix for SQL: '' for admins (every path starts with it), else the actor's subtree path.</summary>
    public string ScopePrefix => Actor.IsAdmin ? "" : Actor.ScopePath ?? "/nothing-in-scope/";

    public static async Task<ImportContext> Begin(FeesDbContext db, CurrentUser actor, string? requestId, DateTimeOffset now, DateOnly today, CancellationToken ct)
    {
        var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        var context = new ImportContext(db, tx, actor, requestId, now, today);
        // One import at a time per file kind: two concurrent imports of the same data would race on "created".
        await context.Execute("select pg_advisory_xact_lock(hashtext('fees.import'))", ct);
        return context;
    }

    public async Task<int> Execute(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public NpgsqlCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = new NpgsqlCommand(sql, Connection);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return cmd;
    }

    /// <summary>Runs a query whose rows are (line, column, value, message) errors.</summary>
    public async Task CollectErrors(string sql, List<RowError> errors, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            errors.Add(new RowError(reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3)));
        }
    }

    /// <summary>
    /// SQL selecting (line, column, value, message) for rows of a staging table whose <c>member_no</c> names a member
    /// officially placed outside the importer's scope (<c>@scope</c>): nobody edits members they do not manage.
    /// </summary>
    public static string MembersOutsideScope(string stagingTable) => " " + $"""
        select i.line, 'member_no', i.member_no, 'Đảng viên này đang sinh hoạt ở tổ chức ngoài phạm vi quản lý của bạn.'
        from {stagingTable} i
        join members m on m.member_no = i.member_no
        join member_placements p on p.member_id = m.id and p.kind = 'official' and p.valid_to is null
        join orgs o on o.id = p.org_id
        where not starts_with(o.path, @scope)
        """;

    /// <summary>Reads the (change, count) summary of a resolved staging table.</summary>
    public async Task<ImportResult> Counts(string table, CancellationToken ct)
    {
        int created = 0, updated = 0, unchanged = 0;
        await using var cmd = Command($"select change, count(*)::int from {table} group by change");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            switch (reader.GetString(0))
            {
                case "create": created = reader.GetInt32(1); break;
                case "update": updated = reader.GetInt32(1); break;
                default: unchanged = reader.GetInt32(1); break;
            }
        }
        return new ImportResult(created, updated, unchanged);
    }

    /// <summary>One summary audit record for the whole file (who imported which file, with what result).</summary>
    public Task AuditImport(string kind, string sha256, ImportResult result, CancellationToken ct) =>
        Execute("""
            insert into audit_log (at, actor, actor_role, action, target_type, target_id, before, after, request_id, org_path)
            values (@now, @actor, @role, @action, 'import', @sha, null,
                    jsonb_build_object('created', @c, 'updated', @u, 'unchanged', @n, 'sha256', @sha), @rid, @scope)
            """, ct,
            ("now", Now), ("actor", Actor.Username), ("role", RoleCodes.ToCode(Actor.Role)), ("action", "import." + kind),
            ("sha", sha256), ("c", result.Created), ("u", result.Updated), ("n", result.Unchanged), ("rid", RequestId),
            ("scope", Actor.IsAdmin ? null : Actor.ScopePath));

    public (string Name, object? Value)[] AuditParameters =>
        [("now", Now), ("actor", Actor.Username), ("role", RoleCodes.ToCode(Actor.Role)), ("rid", RequestId)];

    public Task Commit(CancellationToken ct) => _tx.CommitAsync(ct);

    public async ValueTask DisposeAsync() => await _tx.DisposeAsync();

    /// <summary>Reads the upload into a temp file while hashing it, so validation can stream it and the audit names the exact file.</summary>
    public static async Task<(FileStream File, string Sha256)> Buffer(Stream upload, CancellationToken ct)
    {
        var file = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[81920];
        int n;
        while ((n = await upload.ReadAsync(buffer, ct)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            await file.WriteAsync(buffer.AsMemory(0, n), ct);
        }
        file.Position = 0;
        return (file, Convert.ToHexString(sha.GetHashAndReset()).ToLowerInvariant());
    }
}

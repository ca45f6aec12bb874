using System.Security.Cryptography;
using Fees.Domain.Accounts;
using Fees.Persistence.Auditing;
using Fees.Persistence.Database;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fees.Persistence.Imports;

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
/// records all inside it), the actor and their scope, "now" and today in Vietnam.
/// </summary>
public sealed class ImportContext : IAsyncDisposable
{
    private readonly Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction _tx;
    private readonly AuditWriter _audit;

    private ImportContext(FeesDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, AuditWriter audit, Actor actor, DateTimeOffset now, DateOnly today)
    {
        Db = db;
        _tx = tx;
        _audit = audit;
        Actor = actor;
        Now = now;
        Today = today;
    }

    public FeesDbContext Db { get; }
    public NpgsqlConnection Connection => (NpgsqlConnection)Db.Database.GetDbConnection();
    public Actor Actor { get; }
    public DateTimeOffset Now { get; }
    public DateOnly Today { get; }

    /// <summary>Where the importer reports the phases after reading (<see cref="ImportPhase.Checking"/>, <see cref="ImportPhase.Writing"/>).</summary>
    public IImportProgress Progress { get; set; } = NoImportProgress.Instance;

    /// <summary>Scope prefix for SQL: '' for admins (every path starts with it), else the actor's subtree path.</summary>
    public string ScopePrefix => Actor.ScopePrefix;

    public static async Task<ImportContext> Begin(FeesDbContext db, AuditWriter audit, Actor actor, DateTimeOffset now, DateOnly today, CancellationToken ct)
    {
        // EF's commands in the import (statement transfers) wait as long as the import's own bulk statements.
        db.Database.SetCommandTimeout(BulkCommands.Timeout);
        var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        var context = new ImportContext(db, tx, audit, actor, now, today);
        // One import at a time: two concurrent imports of the same data would race on "created".
        await context.Execute("select pg_advisory_xact_lock(hashtext('fees.import'))", ct);
        return context;
    }

    /// <summary>A binary COPY into a staging table, with the bulk timeout.</summary>
    public Task<NpgsqlBinaryImporter> BeginCopy(string copyFromCommand, CancellationToken ct) =>
        BulkCommands.BeginCopy(Connection, copyFromCommand, ct);

    public async Task<int> Execute(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(sql, parameters);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A command in the import's transaction, with the bulk timeout (<see cref="BulkCommands"/>).</summary>
    public NpgsqlCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = BulkCommands.Command(sql, Connection);
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
    /// One audit record per changed row: <paramref name="query"/> selects (line, action, target_type, target_id, before
    /// json, after json, org_path), in any order; the records are written on the server in one statement, in the order of the lines
    /// (<see cref="AuditWriter.InsertSelected"/>), so memory stays flat and nothing is read back.
    /// </summary>
    public Task<int> AuditChanges(string query, CancellationToken ct) => _audit.InsertSelected(Connection, Actor, query, Now, ct);

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
        _audit.Copy(Connection, Actor,
            [AuditEntry.Of("import." + kind, "import", sha256, null,
                new { created = result.Created, updated = result.Updated, unchanged = result.Unchanged, sha256 }, Actor.IsAdmin ? null : Actor.ScopePath)],
            Now, ct);

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

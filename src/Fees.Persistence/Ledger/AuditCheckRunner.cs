using Npgsql;

namespace Fees.Persistence.Ledger;

/// <summary>Runs every registered <see cref="IAuditCheck"/> on one consistent, read-only snapshot of the live database.</summary>
public sealed class AuditCheckRunner(NpgsqlDataSource dataSource, IEnumerable<IAuditCheck> checks)
{
    /// <param name="pathPrefix">The subtree in scope, as an org path prefix; '' for every organization.</param>
    public async Task<IReadOnlyList<AuditCheckResult>> RunAll(string pathPrefix, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new NpgsqlCommand("set transaction read only", conn, tx))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }
        var run = new AuditRun(conn, tx, pathPrefix);
        var results = new List<AuditCheckResult>();
        foreach (var check in checks)
        {
            results.Add(await check.Run(run, ct));
        }
        await tx.CommitAsync(ct);
        return results;
    }
}

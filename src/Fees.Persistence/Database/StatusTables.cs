using Fees.Domain.Dues;
using Fees.Domain.Remittance;
using Npgsql;

namespace Fees.Persistence.Database;

/// <summary>
/// Writes the statement lifecycle's table into the database (<c>dues_statement_transitions</c>), from
/// <see cref="DuesStatementLifecycle.Transitions"/> itself, at every start. A trigger on <c>dues_statements</c> refuses
/// any status change, by any statement, that is not in it, and any new row whose status a quote cannot give: the
/// lifecycle is the only author of what a status may become, for EF and set-based SQL alike.
/// </summary>
public static class StatusTables
{
    /// <summary>The <c>from_status</c> of the rows that list the statuses a new statement may start in.</summary>
    public const string NewStatement = "";

    /// <summary>(from, to) pairs as stored: every lifecycle move that changes the status, plus ("", initial status).</summary>
    public static IReadOnlyList<(string From, string To)> Rows() =>
        DuesStatementLifecycle.Transitions.Where(t => t.From != t.To).Select(t => (t.From.ToCode(), t.To.ToCode()))
            .Concat(DuesStatementLifecycle.InitialStatuses.Select(s => (NewStatement, s.ToCode())))
            .Distinct()
            .ToList();

    /// <summary>(from, to) pairs of the remittance order lifecycle, as stored in <c>remittance_order_transitions</c>.</summary>
    public static IReadOnlyList<(string From, string To)> RemittanceRows() =>
        RemittanceOrderLifecycle.Transitions.Where(t => t.From != t.To).Select(t => (t.From.ToCode(), t.To.ToCode())).Distinct().ToList();

    internal static async Task Write(NpgsqlConnection owner, CancellationToken ct)
    {
        var rows = Rows();
        var remittance = RemittanceRows();
        await using var tx = await owner.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            delete from dues_statement_transitions;
            insert into dues_statement_transitions (from_status, to_status) select * from unnest(@from, @to);
            delete from remittance_order_transitions;
            insert into remittance_order_transitions (from_status, to_status) select * from unnest(@rfrom, @rto);
            """, owner, tx);
        cmd.Parameters.AddWithValue("from", rows.Select(r => r.From).ToArray());
        cmd.Parameters.AddWithValue("to", rows.Select(r => r.To).ToArray());
        cmd.Parameters.AddWithValue("rfrom", remittance.Select(r => r.From).ToArray());
        cmd.Parameters.AddWithValue("rto", remittance.Select(r => r.To).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }
}

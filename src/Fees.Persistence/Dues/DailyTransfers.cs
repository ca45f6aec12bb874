using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Domain.Time;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fees.Persistence.Dues;

/// <summary>
/// Moves recorded ahead of their date take effect on that date: every member whose dues organization today (temporary
/// placement first, as for generation: <c>dues_placements_on</c>) differs from where they still owe unpaid dues takes
/// those dues along (<see cref="StatementTransfers"/>).
/// </summary>
public sealed class DailyTransfers(FeesDbContext db, StatementTransfers transfers, TimeProvider clock)
{
    public async Task<int> Apply(CancellationToken ct)
    {
        var today = VietnamTime.Today(clock);
        var moved = new List<MovedMember>();
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand("""
                select p.member_id, p.org_id
                from dues_placements_on(@today) p
                where exists (select 1 from dues_statements s
                              where s.member_id = p.member_id and s.org_id <> p.org_id
                                and (s.status = @awaiting or (s.status = any(@outstanding) and s.amount > s.paid)))
                """, conn);
            cmd.Parameters.AddWithValue("today", today);
            cmd.Parameters.AddWithValue("awaiting", DuesStatementStatus.AwaitingData.ToCode());
            cmd.Parameters.AddWithValue("outstanding", DuesStatement.OutstandingStatuses.Select(s => s.ToCode()).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                moved.Add(new MovedMember(r.GetInt64(0), r.GetInt64(1)));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        if (moved.Count == 0)
        {
            return 0;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        int n = await transfers.Apply(moved, Actor.System, ct);
        await tx.CommitAsync(ct);
        return n;
    }
}

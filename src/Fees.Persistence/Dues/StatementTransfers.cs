using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Persistence.Auditing;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Fees.Persistence.Dues;

/// <summary>A member whose dues organization is now <paramref name="NewOrgId"/>.</summary>
public readonly record struct MovedMember(long MemberId, long NewOrgId);

/// <summary>
/// When a member moves (chuyển sinh hoạt đảng chính thức) before paying, the obligation follows them: each statement
/// they still owe at another organization is transferred (<see cref="DuesStatement.TransferRest"/>: what was paid stays
/// in that organization's history, the rest is issued at the new one, naming the statement it continues); a statement
/// still waiting for income data has no money on it yet, so it simply moves. Paid and exempt statements stay.
/// Runs inside the caller's transaction on <paramref name="db"/>; each transfer is audited.
/// </summary>
public sealed class StatementTransfers(FeesDbContext db, AuditWriter audit, TimeProvider clock)
{
    public async Task<int> Apply(IReadOnlyCollection<MovedMember> moved, Actor actor, CancellationToken ct)
    {
        if (moved.Count == 0)
        {
            return 0;
        }
        var now = clock.GetUtcNow();
        var newOrgOf = moved.ToDictionary(m => m.MemberId, m => m.NewOrgId);
        var memberIds = newOrgOf.Keys.ToList();
        var candidates = await db.Statements
            .Where(s => memberIds.Contains(s.MemberId)
                && (s.Status == DuesStatementStatus.AwaitingData || s.Status == DuesStatementStatus.Issued || s.Status == DuesStatementStatus.PartiallyPaid))
            .ToListAsync(ct);
        var following = candidates.Where(s => s.FollowsMemberTo(newOrgOf[s.MemberId])).ToList();
        if (following.Count == 0)
        {
            return 0;
        }
        var orgIds = following.Select(s => s.OrgId).Concat(newOrgOf.Values).Distinct().ToList();
        var orgs = await db.Orgs.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => new { o.Code, o.Path }, ct);

        var continued = new List<(DuesStatement Old, DuesStatementStatus WasStatus, DuesStatement New)>();
        foreach (var s in following)
        {
            long to = newOrgOf[s.MemberId];
            if (s.Status == DuesStatementStatus.AwaitingData)
            {
                s.MoveWhileAwaitingData(to, now);
            }
            else
            {
                var was = s.Status;
                continued.Add((s, was, s.TransferRest(to, now)));
            }
        }
        // The old statements leave the unique (member, period) key before their continuations enter it.
        await db.SaveChangesAsync(ct);
        var newIds = await InsertContinuations(continued.Select(c => c.New).ToList(), ct);
        foreach (var (old, was, rest) in continued)
        {
            var from = orgs[old.OrgId];
            audit.Add(db, actor, AuditEntry.Of("statement.transfer", "statement", old.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                new { orgCode = from.Code, status = was.ToCode(), amount = old.Amount.Dong, paid = old.Paid.Dong },
                new { status = old.Status.ToCode(), newStatementId = newIds[old.Id], newOrgCode = orgs[rest.OrgId].Code, remaining = rest.Amount.Dong },
                from.Path));
        }
        await db.SaveChangesAsync(ct);
        return continued.Count;
    }

    /// <summary>
    /// The continuations, in one INSERT naming their province (the new organization's); their ids by the statement each
    /// continues. Written in SQL, not through EF: EF reads a new row's version (<c>xmin</c>) back with RETURNING, which
    /// PostgreSQL 15 refuses on a partitioned table ("cannot retrieve a system column in this context"). A continuation
    /// keeps its statement's period (<see cref="DuesStatement.TransferRest"/>), so it lands in that period's partition.
    /// </summary>
    private async Task<Dictionary<long, long>> InsertContinuations(List<DuesStatement> rests, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand("""
                insert into dues_statements (province_id, member_id, period, org_id, amount, paid, status, rule_id, explanation, applied_rule_ids, inputs,
                                             created_at, updated_at, transferred_from_id)
                select o.province_id, u.member_id, u.period, u.org_id, u.amount, u.paid, u.status, u.rule_id, u.explanation,
                       array(select jsonb_array_elements_text(u.applied)), u.inputs, u.created_at, u.updated_at, u.from_id
                from unnest(@members, @periods, @orgs, @amounts, @paids, @statuses, @rules, @explanations, @applied, @inputs, @created, @updated, @from)
                     with ordinality as u(member_id, period, org_id, amount, paid, status, rule_id, explanation, applied, inputs, created_at, updated_at, from_id, ord)
                join orgs o on o.id = u.org_id
                order by u.ord
                returning id, transferred_from_id
                """, conn, (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction());
            cmd.Parameters.AddWithValue("members", rests.Select(r => r.MemberId).ToArray());
            cmd.Parameters.AddWithValue("periods", rests.Select(r => r.Period.FirstDay).ToArray());
            cmd.Parameters.AddWithValue("orgs", rests.Select(r => r.OrgId).ToArray());
            cmd.Parameters.AddWithValue("amounts", rests.Select(r => r.Amount.Dong).ToArray());
            cmd.Parameters.AddWithValue("paids", rests.Select(r => r.Paid.Dong).ToArray());
            cmd.Parameters.AddWithValue("statuses", rests.Select(r => r.Status.ToCode()).ToArray());
            cmd.Parameters.AddWithValue("rules", rests.Select(r => r.RuleId).ToArray());
            cmd.Parameters.AddWithValue("explanations", rests.Select(r => r.Explanation).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter("applied", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
            {
                Value = rests.Select(r => JsonSerializer.Serialize(r.AppliedRuleIds)).ToArray(),
            });
            cmd.Parameters.Add(new NpgsqlParameter("inputs", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = rests.Select(r => r.Inputs).ToArray() });
            cmd.Parameters.AddWithValue("created", rests.Select(r => r.CreatedAt).ToArray());
            cmd.Parameters.AddWithValue("updated", rests.Select(r => r.UpdatedAt).ToArray());
            cmd.Parameters.AddWithValue("from", rests.Select(r => r.TransferredFromId!.Value).ToArray());
            var ids = new Dictionary<long, long>();
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids[reader.GetInt64(1)] = reader.GetInt64(0);
            }
            return ids;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

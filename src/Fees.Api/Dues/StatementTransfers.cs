using Fees.Api.Accounts;
using Npgsql;

namespace Fees.Api.Dues;

/// <summary>
/// When a member moves (chuyển sinh hoạt đảng chính thức) before paying, the obligation follows them: each unpaid
/// statement (issued or partly paid) owed to another organization becomes <c>transferred</c> there, with what was
/// paid kept in that organization's history, and a new statement for the rest is issued at the new organization,
/// naming the one it continues. A statement still waiting for income data has no money on it yet, so it simply moves.
/// Paid and exempt statements stay where they are. One set-based statement for any number of moved members.
/// </summary>
public static class StatementTransfers
{
    /// <param name="movedSql">A query with columns <c>(member_id bigint, new_org_id bigint)</c>.</param>
    public static async Task<int> Apply(NpgsqlConnection connection, string movedSql, CurrentUser actor, string? requestId, DateTimeOffset now, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        string sql = $"""
            with moved as ({movedSql}),
            old as (
              update dues_statements s set status = 'transferred', updated_at = @now
              from moved m
              where s.member_id = m.member_id and s.org_id <> m.new_org_id and s.status in ('issued', 'partially_paid') and s.amount > s.paid
              returning s.id, s.member_id, s.period, s.org_id, s.amount, s.paid, s.status as old_status, s.rule_id, s.explanation,
                        s.applied_rule_ids, s.inputs, m.new_org_id
            ),
            created as (
              insert into dues_statements (member_id, period, org_id, amount, paid, status, rule_id, explanation, applied_rule_ids, inputs,
                                           transferred_from_id, created_at, updated_at)
              select member_id, period, new_org_id, amount - paid, 0, 'issued', rule_id,
                     explanation || ' — Chuyển sinh hoạt đảng: còn phải đóng ' || replace(to_char(amount - paid, 'FM999,999,999,999'), ',', '.') || ' đ.',
                     applied_rule_ids, inputs, id, @now, @now
              from old
              returning id, transferred_from_id, org_id
            ),
            waiting as (
              update dues_statements s set org_id = m.new_org_id, updated_at = @now
              from moved m
              where s.member_id = m.member_id and s.org_id <> m.new_org_id and s.status = 'awaiting_data'
              returning s.id
            )
            insert into audit_log (at, actor, actor_role, action, target_type, target_id, before, after, request_id, org_path)
            select @now, @actor, @role, 'statement.transfer', 'statement', o.id::text,
                   jsonb_build_object('orgCode', oo.code, 'status', 'issued', 'amount', o.amount, 'paid', o.paid),
                   jsonb_build_object('status', 'transferred', 'newStatementId', c.id, 'newOrgCode', no.code, 'remaining', o.amount - o.paid),
                   @rid, oo.path
            from old o
            join created c on c.transferred_from_id = o.id
            join orgs oo on oo.id = o.org_id
            join orgs no on no.id = c.org_id
            """;
        await using var cmd = new NpgsqlCommand(sql, connection);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("actor", actor.Username);
        cmd.Parameters.AddWithValue("role", RoleCodes.ToCode(actor.Role));
        cmd.Parameters.AddWithValue("rid", (object?)requestId ?? DBNull.Value);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return await cmd.ExecuteNonQueryAsync(ct);
    }
}

using System.Globalization;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Organizations;
using Fees.Domain.Outcomes;
using Fees.Domain.Remittance;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Npgsql;

namespace Fees.Persistence.Closing;

/// <summary>A retention rule as stored and listed (<c>GET /api/retention-rules</c>).</summary>
public sealed record RetentionRuleView(string Id, string? ChildOrgCode, string? ChildKind, string? ChildSetting, string? ParentKind,
    string EffectiveFrom, int RemitBasisPoints, string Basis, string Rounding, string Description, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>A new rule as an admin asks for it (<c>POST /api/retention-rules</c>).</summary>
public sealed record NewRetentionRule(string? Id, string? ChildOrgCode, string? ChildKind, string? ChildSetting, string? ParentKind,
    string? EffectiveFrom, int? RemitBasisPoints, string? Basis, string? Rounding, string? Description);

/// <summary>
/// The retention policy as data (<c>retention_rules</c>): append-only, effective-dated rules, seeded with the legacy 342
/// schedule (<see cref="RetentionPolicy.Legacy342"/>). A new rule takes effect from a period that has not begun, so no
/// close already made (or makeable) is decided by a rule written after it.
/// </summary>
public sealed class RetentionRules(NpgsqlDataSource dataSource, AuditWriter audit, TimeProvider clock)
{
    private const string Select = """
        select r.id, r.child_org_id, (select o.code from orgs o where o.id = r.child_org_id), r.child_kind, r.child_setting, r.parent_kind, r.effective_from, r.remit_basis_points, r.basis,
               r.rounding, r.description, r.created_by, r.created_at
        from retention_rules r
        """;

    /// <summary>Writes the legacy default rules when missing (at each start, as the owner; rows once written never change).</summary>
    internal static async Task SeedDefaults(NpgsqlConnection owner, CancellationToken ct)
    {
        foreach (var rule in RetentionPolicy.Legacy342.Rules)
        {
            await using var cmd = new NpgsqlCommand("""
                insert into retention_rules (id, child_org_id, child_kind, child_setting, parent_kind, effective_from, remit_basis_points, basis, rounding, description, created_by)
                values (@id, null, @kind, @setting, @parentKind, @from, @bp, @basis, @rounding, @description, 'system')
                on conflict do nothing
                """, owner);
            AddRule(cmd, rule);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The policy in force as one value (every rule; <see cref="RetentionPolicy.RuleFor"/> picks by period).</summary>
    public static async Task<RetentionPolicy> Policy(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Select, conn);
        var rules = new List<RetentionRule>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            rules.Add(ToRule(r));
        }
        return new RetentionPolicy("database", rules);
    }

    public async Task<IReadOnlyList<RetentionRuleView>> List(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(Select + " order by r.effective_from, r.id", conn);
        var list = new List<RetentionRuleView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new RetentionRuleView(r.GetString(0), r.IsDBNull(2) ? null : r.GetString(2), Text(r, 3), Text(r, 4), Text(r, 5),
                Period.Containing(DateOnly.FromDateTime(r.GetDateTime(6))).ToString(), r.GetInt32(7), r.GetString(8), r.GetString(9),
                r.GetString(10), r.GetString(11), r.GetFieldValue<DateTimeOffset>(12)));
        }
        return list;
    }

    /// <summary>Adds a rule from a period that has not begun yet; 400 naming the field, 409 for a clash.</summary>
    public async Task<Outcome<RetentionRuleView>> Add(NewRetentionRule input, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new Dictionary<string, string[]>();
        void Bad(string field, string message) => errors[field] = [message];
        if (input.Id is null || input.Id.Length is 0 or > 100 || !input.Id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '/' or '.' or '_' or '-'))
        {
            Bad("id", "Mã quy định gồm 1–100 ký tự a–z, 0–9, '/', '.', '_' hoặc '-'.");
        }
        OrgKind? childKind = null, parentKind = null;
        OrgSetting? setting = null;
        if (input.ChildKind is not null)
        {
            if (OrgCodes.TryParseKind(input.ChildKind, out var k)) { childKind = k; } else { Bad("childKind", "Loại tổ chức không hợp lệ."); }
        }
        if (input.ParentKind is not null)
        {
            if (OrgCodes.TryParseKind(input.ParentKind, out var k)) { parentKind = k; } else { Bad("parentKind", "Loại tổ chức không hợp lệ."); }
        }
        if (input.ChildSetting is not null)
        {
            if (OrgCodes.TryParseSetting(input.ChildSetting, out var s)) { setting = s; } else { Bad("childSetting", "Loại hình không hợp lệ (commune, enterprise, other)."); }
        }
        var current = VietnamTime.CurrentPeriod(clock);
        if (!Period.TryParse(input.EffectiveFrom, out var from))
        {
            Bad("effectiveFrom", "Kỳ áp dụng phải có dạng yyyy-MM.");
        }
        else if (from <= current)
        {
            Bad("effectiveFrom", $"Quy định mới chỉ áp dụng từ kỳ chưa bắt đầu (sau {current.ToDisplayString()}); kỳ đã qua không bị tính lại.");
        }
        if (input.RemitBasisPoints is not (>= 0 and <= 10_000))
        {
            Bad("remitBasisPoints", "Tỷ lệ nộp lên tính bằng phần vạn, từ 0 đến 10000.");
        }
        RemittanceBasis? basis = input.Basis switch { "collected" => RemittanceBasis.Collected, "subtree" => RemittanceBasis.SubtreeCollections, _ => null };
        if (basis is null)
        {
            Bad("basis", "Cơ sở tính là 'collected' (số thu của tổ chức) hoặc 'subtree' (số thu toàn đảng bộ).");
        }
        Rounding? rounding = input.Rounding switch { null or "down" => Rounding.Down, "half_up" => Rounding.HalfUp, _ => null };
        if (rounding is null)
        {
            Bad("rounding", "Cách làm tròn là 'down' hoặc 'half_up'.");
        }
        if (input.Description is null || input.Description.Trim().Length is 0 or > 500 || input.Description.Any(char.IsControl))
        {
            Bad("description", "Diễn giải gồm 1–500 ký tự, không có ký tự điều khiển.");
        }
        if (input.ChildOrgCode is not null && input.ChildOrgCode.Length is 0 or > 50)
        {
            Bad("childOrgCode", "Mã tổ chức không hợp lệ.");
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        long? childOrgId = null;
        string? path = null;
        if (input.ChildOrgCode is not null)
        {
            await using var find = new NpgsqlCommand("select id, path from orgs where code = @code", conn, tx);
            find.Parameters.AddWithValue("code", input.ChildOrgCode);
            await using var r = await find.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return Refusal.Field("childOrgCode", "Không tìm thấy tổ chức này.");
            }
            childOrgId = r.GetInt64(0);
            path = r.GetString(1);
        }
        var rule = new RetentionRule(input.Id!, new LinkSelector(childOrgId, childKind, setting, parentKind), from,
            Percent.FromBasisPoints(input.RemitBasisPoints!.Value), basis!.Value, rounding!.Value, input.Description!.Trim());
        await using (var insert = new NpgsqlCommand("""
            insert into retention_rules (id, child_org_id, child_kind, child_setting, parent_kind, effective_from, remit_basis_points, basis, rounding, description, created_by, created_at)
            values (@id, @child, @kind, @setting, @parentKind, @from, @bp, @basis, @rounding, @description, @by, @now)
            on conflict do nothing
            """, conn, tx))
        {
            AddRule(insert, rule);
            insert.Parameters.AddWithValue("child", (object?)childOrgId ?? DBNull.Value);
            insert.Parameters.AddWithValue("by", actor.Username);
            insert.Parameters.AddWithValue("now", clock.GetUtcNow());
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                return Refusal.Conflict("rule_exists", "Đã có quy định cùng mã, hoặc cùng phạm vi áp dụng và cùng kỳ bắt đầu.");
            }
        }
        await audit.Copy(conn, actor, [AuditEntry.Of("retention.rule.add", "retention_rule", rule.Id, null, input, path)], clock.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return (await List(ct)).Single(v => v.Id == rule.Id);
    }

    private static void AddRule(NpgsqlCommand cmd, RetentionRule rule)
    {
        cmd.Parameters.AddWithValue("id", rule.Id);
        cmd.Parameters.AddWithValue("kind", (object?)rule.Selector.ChildKind?.ToCode() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("setting", (object?)rule.Selector.ChildSetting?.ToCode() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("parentKind", (object?)rule.Selector.ParentKind?.ToCode() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("from", rule.EffectiveFrom.FirstDay);
        cmd.Parameters.AddWithValue("bp", rule.RemitShare.BasisPoints);
        cmd.Parameters.AddWithValue("basis", rule.Basis == RemittanceBasis.Collected ? "collected" : "subtree");
        cmd.Parameters.AddWithValue("rounding", rule.Rounding == Rounding.Down ? "down" : "half_up");
        cmd.Parameters.AddWithValue("description", rule.Description.Length == 0 ? rule.Id : rule.Description);
    }

    private static RetentionRule ToRule(NpgsqlDataReader r)
    {
        static T? Parse<T>(NpgsqlDataReader r, int i, Func<string, T> parse) where T : struct => r.IsDBNull(i) ? null : parse(r.GetString(i));
        var selector = new LinkSelector(
            r.IsDBNull(1) ? null : r.GetInt64(1),
            Parse(r, 3, s => OrgCodes.TryParseKind(s, out var k) ? k : throw new InvalidOperationException(s)),
            Parse(r, 4, s => OrgCodes.TryParseSetting(s, out var k) ? k : throw new InvalidOperationException(s)),
            Parse(r, 5, s => OrgCodes.TryParseKind(s, out var k) ? k : throw new InvalidOperationException(s)));
        return new RetentionRule(r.GetString(0), selector, Period.Containing(DateOnly.FromDateTime(r.GetDateTime(6))),
            Percent.FromBasisPoints(r.GetInt32(7)), r.GetString(8) == "collected" ? RemittanceBasis.Collected : RemittanceBasis.SubtreeCollections,
            r.GetString(9) == "down" ? Rounding.Down : Rounding.HalfUp, r.GetString(10));
    }

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

}

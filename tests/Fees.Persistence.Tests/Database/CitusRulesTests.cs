using System.Net.Http.Json;
using System.Text.Json;
using Fees.Persistence.Database;
using Fees.Testing;
using Npgsql;

namespace Fees.Persistence.Tests.Database;

/// <summary>
/// The migrated schema follows Citus's rules for distributed tables, read from PostgreSQL's catalog (Citus itself is
/// not needed): every table is placed in <see cref="Distribution"/>, a distributed table has a NOT NULL
/// <c>province_id</c> in every primary and unique key, foreign keys between distributed tables are co-located, and
/// nothing points from a reference or local table into a distributed one. A scratch schema that breaks each rule shows
/// the checks can fail. Partitions (of the tables partitioned by period) are read through their parents: they belong to
/// the parent's placement, and the keys PostgreSQL clones onto them (<c>conparentid</c>) follow the parent's.
/// </summary>
public sealed class CitusRulesTests(EmptyFeesApp app) : IClassFixture<EmptyFeesApp>
{
    [Fact]
    public async Task MigratedSchema_FollowsCitusRules()
    {
        await using var conn = await Open();
        var violations = await CitusRules.Violations(conn, Distribution.Tables);
        Assert.Empty(violations);
    }

    [Fact]
    public async Task EveryTableIsClassified_AndNoClassifiedTableIsMissing()
    {
        await using var conn = await Open();
        var tables = await CitusRules.Tables(conn);
        Assert.Equal(Distribution.Tables.Keys.Order(StringComparer.Ordinal), tables.Order(StringComparer.Ordinal));
        Assert.Contains("members", Distribution.Of(Placement.Distributed));
        Assert.Equal(Placement.Distributed, Distribution.Tables[Distribution.ColocationAnchor]);
    }

    [Fact]
    public async Task ScratchTablesThatBreakTheRules_AreEachCaught()
    {
        await using var conn = await Open();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand("""
            create table scratch_nullable (id bigint primary key, province_id bigint);
            create table scratch_child (id bigint, province_id bigint not null, parent_id bigint references scratch_nullable (id),
                                        primary key (id, province_id));
            create table scratch_unique (id bigint, province_id bigint not null, code text, primary key (id, province_id));
            create unique index ux_scratch_unique_code on scratch_unique (code);
            create table scratch_reference (id bigint primary key, statement_id bigint, province_id bigint, period date,
                                            foreign key (statement_id, province_id, period) references dues_statements (id, province_id, period));
            create table scratch_crossed (id bigint, province_id bigint not null, other_province bigint not null, statement_id bigint, period date,
                                          primary key (id, province_id),
                                          foreign key (statement_id, other_province, period) references dues_statements (id, province_id, period));
            create table scratch_unclassified (id bigint primary key);
            create table scratch_overlap (id bigint, province_id bigint not null, member_id bigint, during daterange, primary key (id, province_id),
                                          constraint ex_scratch_overlap exclude using gist (member_id with =, during with &&));
            """, conn, tx))
        {
            await cmd.ExecuteNonQueryAsync();
        }
        var placed = new Dictionary<string, Placement>(Distribution.Tables)
        {
            ["scratch_nullable"] = Placement.Distributed,
            ["scratch_child"] = Placement.Distributed,
            ["scratch_unique"] = Placement.Distributed,
            ["scratch_reference"] = Placement.Reference,
            ["scratch_crossed"] = Placement.Distributed,
            ["scratch_overlap"] = Placement.Distributed,
            ["scratch_gone"] = Placement.Reference,
        };
        var violations = await CitusRules.Violations(conn, placed, tx);
        await tx.RollbackAsync();

        Assert.Contains("scratch_unclassified: not classified in Distribution.Tables", violations);
        Assert.Contains("scratch_gone: classified in Distribution.Tables but not in the database", violations);
        Assert.Contains("scratch_nullable: distributed, but province_id may be null", violations);
        Assert.Contains(violations, v => v.StartsWith("scratch_nullable: scratch_nullable_pkey (id) does not include province_id", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("scratch_unique: ux_scratch_unique_code (code) does not include province_id", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("scratch_child: foreign key scratch_child_parent_id_fkey to scratch_nullable is not co-located", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("scratch_crossed: foreign key scratch_crossed_statement_id_other_province_period_fkey to dues_statements is not co-located", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("scratch_reference: foreign key scratch_reference_statement_id_province_id_period_fkey from a reference table to distributed dues_statements", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("scratch_overlap: ex_scratch_overlap (member_id, during) does not include province_id", StringComparison.Ordinal));
        Assert.Equal(9, violations.Count);
    }

    [Fact]
    public async Task ColocatedParents_AreExactlyTheForeignKeysBetweenDistributedTables_AndComeFirstInTheScript()
    {
        await using var conn = await Open();
        var pairs = new List<string>();
        await using (var cmd = new NpgsqlCommand("""
            select s.relname || ' -> ' || d.relname
            from pg_constraint k join pg_class s on s.oid = k.conrelid join pg_class d on d.oid = k.confrelid
            where k.contype = 'f' and s.relnamespace = 'public'::regnamespace and s.relname = any(@dist) and d.relname = any(@dist) and s.oid <> d.oid
            """, conn))
        {
            cmd.Parameters.AddWithValue("dist", Distribution.Of(Placement.Distributed).ToArray());
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                pairs.Add(r.GetString(0));
            }
        }
        Assert.Equal(Distribution.ColocatedParents.Select(p => p.Key + " -> " + p.Value).Order(StringComparer.Ordinal), pairs.Order(StringComparer.Ordinal));
        string script = Distribution.CitusScript();
        foreach (var (child, parent) in Distribution.ColocatedParents)
        {
            Assert.True(script.IndexOf($"'public.{parent}'", StringComparison.Ordinal) < script.IndexOf($"'public.{child}'", StringComparison.Ordinal), child);
        }
    }

    [Fact]
    public void SoftReferences_NameClassifiedDistributedTables()
    {
        foreach (var r in Distribution.SoftReferences)
        {
            Assert.True(Distribution.Tables.ContainsKey(r.Table), r.Table);
            Assert.Equal(Placement.Distributed, Distribution.Tables[r.Target]);
        }
    }

    [Fact]
    public async Task SoftReferences_AreNotForeignKeys_AndEveryColumnExists()
    {
        await using var conn = await Open();
        foreach (var r in Distribution.SoftReferences)
        {
            await using var cmd = new NpgsqlCommand("""
                select (select count(*) from information_schema.columns where table_schema = 'public' and table_name = @t and column_name = @c)
                     + 10 * (select count(*) from pg_constraint k join pg_class s on s.oid = k.conrelid join pg_class d on d.oid = k.confrelid
                             join pg_attribute a on a.attrelid = k.conrelid and a.attnum = any(k.conkey)
                             where k.contype = 'f' and s.relname = @t and d.relname = @d and a.attname = @c)
                """, conn);
            cmd.Parameters.AddWithValue("t", r.Table);
            cmd.Parameters.AddWithValue("c", r.Column);
            cmd.Parameters.AddWithValue("d", r.Target);
            Assert.True(1L == (long)(await cmd.ExecuteScalarAsync())!, $"{r.Table}.{r.Column}: must exist and not be a foreign key to {r.Target}");
        }
    }

    [Fact]
    public void CitusScript_PlacesEveryTableOnce_ReferencesFirst_CoLocatedWithTheAnchor()
    {
        string script = Distribution.CitusScript();
        var lines = script.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (string table in Distribution.Of(Placement.Reference))
        {
            Assert.Single(lines, l => l == $"select create_reference_table('public.{table}');");
        }
        Assert.Single(lines, l => l == "select create_distributed_table('public.members', 'province_id', colocate_with => 'none', shard_count => 64);");
        foreach (string table in Distribution.Of(Placement.Distributed).Where(t => t != "members"))
        {
            Assert.Single(lines, l => l == $"select create_distributed_table('public.{table}', 'province_id', colocate_with => 'members');");
        }
        int lastReference = Array.FindLastIndex(lines, l => l.Contains("create_reference_table", StringComparison.Ordinal));
        int firstDistributed = Array.FindIndex(lines, l => l.Contains("create_distributed_table", StringComparison.Ordinal));
        Assert.True(lastReference < firstDistributed);
        Assert.DoesNotContain("bank_poll_cursors'", script, StringComparison.Ordinal);
    }

    [Fact]
    public void ScalingDoc_ShowsTheScriptThatDistributionPrints()
    {
        string doc = File.ReadAllText(RepositoryFiles.PathOf("docs", "scaling.md")).ReplaceLineEndings("\n");
        Assert.Contains(Distribution.CitusScript().ReplaceLineEndings("\n"), doc, StringComparison.Ordinal);
    }

    private async Task<NpgsqlConnection> Open()
    {
        var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        return conn;
    }
}

/// <summary>Citus's rules, read from the catalog of the <c>public</c> schema.</summary>
internal static class CitusRules
{
    public static async Task<List<string>> Tables(NpgsqlConnection conn, NpgsqlTransaction? tx = null)
    {
        var tables = new List<string>();
        await using var cmd = new NpgsqlCommand(
            "select c.relname from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition", conn, tx);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            tables.Add(r.GetString(0));
        }
        return tables;
    }

    public static async Task<List<string>> Violations(NpgsqlConnection conn, IReadOnlyDictionary<string, Placement> placed, NpgsqlTransaction? tx = null)
    {
        var violations = new List<string>();
        var tables = await Tables(conn, tx);
        violations.AddRange(tables.Where(t => !placed.ContainsKey(t)).Select(t => $"{t}: not classified in Distribution.Tables"));
        violations.AddRange(placed.Keys.Where(t => !tables.Contains(t)).Select(t => $"{t}: classified in Distribution.Tables but not in the database"));
        string[] distributed = placed.Where(p => p.Value == Placement.Distributed).Select(p => p.Key).ToArray();

        // A NOT NULL province_id.
        violations.AddRange(await Rows(conn, tx, """
            select t || ': distributed, but ' || case when a.attname is null then 'has no province_id' else 'province_id may be null' end
            from unnest(@dist) as t
            join pg_class c on c.relname = t and c.relnamespace = 'public'::regnamespace
            left join pg_attribute a on a.attrelid = c.oid and a.attname = 'province_id' and not a.attisdropped
            where a.attname is null or not a.attnotnull
            """, distributed));

        // Every primary key, unique constraint, unique index and exclusion constraint includes it.
        violations.AddRange(await Rows(conn, tx, """
            select c.relname || ': ' || ic.relname || ' (' ||
                   (select string_agg(coalesce(a.attname, 'expression'), ', ' order by k.n) from unnest(i.indkey) with ordinality as k(attnum, n)
                    left join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum) || ') does not include province_id'
            from pg_index i join pg_class c on c.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
            where c.relnamespace = 'public'::regnamespace and c.relname = any(@dist) and (i.indisunique or i.indisprimary or i.indisexclusion)
              and not exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'province_id' and a.attnum = any(i.indkey))
            """, distributed));

        // Foreign keys: between distributed tables only co-located (province_id matched to province_id); none from a
        // reference or local table into a distributed one; none from a distributed table to a local one.
        violations.AddRange(await Rows(conn, tx, """
            with fk as (
              select k.conname, s.relname as src, d.relname as dst, k.conkey, k.confkey, k.conrelid, k.confrelid,
                     s.relname = any(@dist) as src_dist, d.relname = any(@dist) as dst_dist,
                     s.relname = any(@local) as src_local, d.relname = any(@local) as dst_local
              from pg_constraint k join pg_class s on s.oid = k.conrelid join pg_class d on d.oid = k.confrelid
              -- A partition belongs to its parent's placement: the keys PostgreSQL clones onto partitions (conparentid) follow the parent's.
              where k.contype = 'f' and s.relnamespace = 'public'::regnamespace and k.conparentid = 0
            )
            select src || ': foreign key ' || conname || ' to ' || dst || ' is not co-located (province_id must match province_id)'
            from fk
            where src_dist and dst_dist and not exists (
              select 1 from unnest(conkey, confkey) as p(s, d)
              join pg_attribute sa on sa.attrelid = conrelid and sa.attnum = p.s
              join pg_attribute da on da.attrelid = confrelid and da.attnum = p.d
              where sa.attname = 'province_id' and da.attname = 'province_id')
            union all
            select src || ': foreign key ' || conname || ' from a ' || case when src_local then 'local' else 'reference' end || ' table to distributed ' || dst
            from fk where not src_dist and dst_dist
            union all
            select src || ': foreign key ' || conname || ' from a distributed table to local ' || dst
            from fk where src_dist and dst_local
            """, distributed, placed.Where(p => p.Value == Placement.Local).Select(p => p.Key).ToArray()));
        return violations;
    }

    private static async Task<List<string>> Rows(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, string[] distributed, string[]? local = null)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddWithValue("dist", distributed);
        if (sql.Contains("@local", StringComparison.Ordinal))
        {
            cmd.Parameters.AddWithValue("local", local ?? []);
        }
        var rows = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            rows.Add(r.GetString(0));
        }
        return rows;
    }
}

/// <summary>
/// On the demo province with statements, a move, payments and receipts booked through the service, every distributed
/// row's <c>province_id</c> is the province of the organization it belongs to; the cross-province references resolve,
/// and a broken one is named by the audit check.
/// </summary>
public sealed class ProvinceKeyDataTests(FeesApp app) : IClassFixture<FeesApp>
{
    /// <summary>Per distributed table: the rows whose province_id is not the one its organization (or parent row) says.</summary>
    public static readonly IReadOnlyDictionary<string, string> Mismatches = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["members"] = """
            select x.id from members x
            where x.province_id <> coalesce((select o.province_id from member_placements p join orgs o on o.id = p.org_id
                                             where p.member_id = x.id and p.kind = 'official' and p.valid_to is null
                                             order by p.valid_from desc limit 1), 0)
            """,
        ["member_transfer_requests"] = "select x.id from member_transfer_requests x join orgs o on o.id = x.from_org_id where x.province_id <> o.province_id",
        ["income_records"] = "select x.member_id from income_records x join members m on m.id = x.member_id where x.province_id <> m.province_id",
        ["income_declarations"] = "select x.id from income_declarations x join members m on m.id = x.member_id where x.province_id <> m.province_id",
        ["fee_decisions"] = "select x.id from fee_decisions x join members m on m.id = x.member_id where x.province_id <> m.province_id",
        ["voluntary_amounts"] = "select x.id from voluntary_amounts x join members m on m.id = x.member_id where x.province_id <> m.province_id",
        ["statement_cancellations"] = "select x.id from statement_cancellations x join dues_statements s on s.id = x.statement_id where x.province_id <> s.province_id",
        ["ledger_sources"] = "select x.entry_id from ledger_sources x join ledger_entries e on e.id = x.entry_id where x.province_id <> e.province_id",
        ["period_close_children"] = "select x.parent_close_id from period_close_children x join period_closes p on p.id = x.parent_close_id where x.province_id <> p.province_id",
        ["bank_transactions"] = """
            select x.id from bank_transactions x
            where x.province_id <> coalesce((select min(o.province_id) from orgs o where o.bank_account = x.account_number), 0)
            """,
        ["audit_log"] = "select x.id from audit_log x where x.province_id <> coalesce((select o.province_id from orgs o where o.path = x.org_path), 0)",
        ["access_trace"] = "select x.id from access_trace x where x.province_id <> coalesce((select o.id from orgs o where o.code = x.province_code), 0)",
    };

    private static string MismatchSql(string table) =>
        Mismatches.TryGetValue(table, out string? sql) ? sql : $"select x.org_id from {table} x join orgs o on o.id = x.org_id where x.province_id <> o.province_id";

    [Fact]
    public async Task EveryDistributedRow_IsInItsOrganizationsProvince_AndCrossProvinceReferencesResolve()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/cycles/2026-09/generate", null)).EnsureSuccessStatusCode();
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        (await office.PostAsJsonAsync($"/api/members/{app.Demo.CellMemberNo}/moves",
            new { toOrgCode = app.Demo.SiblingCellCode, kind = "official", reference = "15-QĐ/ĐU" })).EnsureSuccessStatusCode();
        var cell = await app.Account(app.Demo.SiblingCellCode);
        var (paid, _) = await app.Pay(cell, 500_000, "DANG PHI " + app.Demo.SiblingCellMemberNo);
        paid.EnsureSuccessStatusCode();
        var (unknown, _) = await app.Pay(cell, 25_000, "khong ro noi dung");
        unknown.EnsureSuccessStatusCode();

        Assert.True(await app.OwnerScalar("select count(*) from dues_statements") > 0);
        Assert.True(await app.OwnerScalar("select count(*) from ledger_entries") > 0);
        Assert.True(await app.OwnerScalar("select count(*) from member_placements where valid_to is not null") > 0);
        Assert.True(await app.OwnerScalar("select count(*) from members where province_id = 0") == 0);
        foreach (string table in Distribution.Of(Placement.Distributed))
        {
            long wrong = await app.OwnerScalar($"select count(*) from ({MismatchSql(table)}) w");
            Assert.True(wrong == 0, $"{table}: {wrong} rows outside their organization's province");
        }
        long provinces = await app.OwnerScalar("select count(distinct province_id) from dues_statements");
        Assert.Equal(1, provinces);
        Assert.Equal(await app.OwnerScalar("select count(*) from members"), await app.OwnerScalar(
            "select count(*) from member_numbers n join members m on m.member_no = n.member_no and m.id = n.member_id and m.province_id = n.province_id"));

        Assert.True(await Check(admin) is { Passed: true }, "distributed-references-resolve fails on the demo");
        Assert.True(await Check(admin, ProvinceKeysCheck.Name) is { Passed: true }, "province-keys-follow-organizations fails on the demo");
        // Every table the check reads is org-keyed and distributed; the rest have a rule of their own above.
        Assert.All(ProvinceKeysCheck.OrgKeyedTables, t => Assert.Equal(Placement.Distributed, Distribution.Tables[t]));
        Assert.Empty(Distribution.Of(Placement.Distributed).Except(ProvinceKeysCheck.OrgKeyedTables).Except(Mismatches.Keys));
        await using (var conn = new NpgsqlConnection(app.Database.Owner))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("update users set member_id = 987654321 where username = 'thuquy'", conn);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        var broken = await Check(admin);
        Assert.False(broken.Passed);
        Assert.Contains("users:987654321", broken.Rows);

        // A statement moved under another province's key (a report of its province would no longer count it) is named.
        await using (var conn = new NpgsqlConnection(app.Database.Owner))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(
                "update dues_statements set province_id = province_id + 1 where id = (select min(id) from dues_statements) returning (select code from orgs where id = org_id)", conn);
            string code = (string)(await cmd.ExecuteScalarAsync())!;
            var moved = await Check(admin, ProvinceKeysCheck.Name);
            Assert.False(moved.Passed);
            Assert.Equal(["dues_statements:" + code], moved.Rows);
        }
    }

    [Fact]
    public void EveryDistributedTable_HasARuleForItsProvince()
    {
        // Tables named here have a rule of their own; every other distributed table has an org_id (its province's organization).
        Assert.All(Mismatches.Keys, t => Assert.Equal(Placement.Distributed, Distribution.Tables[t]));
    }

    private static async Task<(bool Passed, List<string> Rows)> Check(HttpClient admin, string name = DistributedReferencesCheck.Name)
    {
        var checks = await admin.GetFromJsonAsync<JsonElement>("/api/audit/checks");
        var check = checks.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var rows = check.GetProperty("violations").EnumerateArray().SelectMany(v => v.GetProperty("rows").EnumerateArray().Select(r => r.GetString()!)).ToList();
        return (check.GetProperty("passed").GetBoolean(), rows);
    }
}

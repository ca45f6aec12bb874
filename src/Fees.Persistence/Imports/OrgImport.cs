using Fees.Domain.Banking;
using Fees.Domain.Organizations;
using NpgsqlTypes;

namespace Fees.Persistence.Imports;

/// <summary>
/// <c>code,name,kind,parent_code,setting,wage_region,bank_bin,bank_account,bank_account_name</c> (contract §3).
/// The file is checked as a tree together with what is already stored: every parent exists (in the file or the
/// database), no cycle, each level may sit under its parent's level (Party charter), every organization inside
/// the importer's scope. Paths are recomputed for the file's organizations and, set-based, for the descendants
/// of any organization the file moves.
/// </summary>
public static class OrgImport
{
    public static readonly string[] Columns = ["code", "name", "kind", "parent_code", "setting", "wage_region", "bank_bin", "bank_account", "bank_account_name"];

    private sealed record OrgRow(int Line, string Code, string Name, OrgKind Kind, string? ParentCode, OrgSetting Setting, WageRegion Region, string? Bin, string? Account, string? AccountName)
    {
        public string Path { get; set; } = "";
        public string ProvinceCode { get; set; } = "";
    }

    private sealed record Stored(string Code, string Path, OrgKind Kind);

    public static async Task<ImportOutcome> Run(ImportContext ctx, Stream csv, string sha256, CancellationToken ct)
    {
        var errors = new List<RowError>();
        var file = new Dictionary<string, OrgRow>(StringComparer.Ordinal);
        // Codes of rows refused for a cell error: still organizations of the file, so their children are not also
        // told "parent not found" (the row's own error already says what to fix).
        var refusedCodes = new HashSet<string>(StringComparer.Ordinal);
        using (var rows = CsvRows.Open(csv, Columns, errors))
        {
            if (!rows.HeaderIsValid)
            {
                return ImportOutcome.Failed(errors);
            }
            while (rows.Read(errors))
            {
                if (Validate(rows, errors) is not { } row)
                {
                    if (rows["code"] is { } refused)
                    {
                        refusedCodes.Add(refused);
                    }
                    continue;
                }
                if (!file.TryAdd(row.Code, row))
                {
                    errors.Add(new RowError(row.Line, "code", row.Code, $"Mã tổ chức trùng với dòng {file[row.Code].Line}."));
                }
            }
        }

        ctx.Progress.Phase(ImportPhase.Checking);
        var stored = await LoadStoredChains(ctx, file.Values, ct);
        CheckTree(ctx, file, stored, refusedCodes, errors);
        if (errors.Count > 0)
        {
            return ImportOutcome.Failed(errors);
        }

        ctx.Progress.Phase(ImportPhase.Writing);
        await ctx.Execute("""
            create temp table import_orgs (
              line int not null, code text not null, name text not null, kind text not null, parent_code text,
              setting text not null, wage_region smallint not null, bank_bin text, bank_account text,
              bank_account_name text, path text not null, province_code text not null) on commit drop
            """, ct);
        await using (var copy = await ctx.BeginCopy(
            "copy import_orgs (line, code, name, kind, parent_code, setting, wage_region, bank_bin, bank_account, bank_account_name, path, province_code) from stdin (format binary)", ct))
        {
            foreach (var r in file.Values)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(r.Line, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(r.Code, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(r.Name, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(r.Kind.ToCode(), NpgsqlDbType.Text, ct);
                await WriteText(copy, r.ParentCode, ct);
                await copy.WriteAsync(r.Setting.ToCode(), NpgsqlDbType.Text, ct);
                await copy.WriteAsync((short)r.Region, NpgsqlDbType.Smallint, ct);
                await WriteText(copy, r.Bin, ct);
                await WriteText(copy, r.Account, ct);
                await WriteText(copy, r.AccountName, ct);
                await copy.WriteAsync(r.Path, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(r.ProvinceCode, NpgsqlDbType.Text, ct);
            }
            await copy.CompleteAsync(ct);
        }

        await ctx.Execute("""
            create temp table import_orgs_resolved on commit drop as
            select i.*, o.id as org_id, o.path as old_path, p.code as old_parent_code,
                   case when o.id is null then 'create'
                        when (o.name, o.kind, p.code, o.setting, o.wage_region, o.bank_bin, o.bank_account, o.bank_account_name)
                             is distinct from (i.name, i.kind, i.parent_code, i.setting, i.wage_region, i.bank_bin, i.bank_account, i.bank_account_name)
                        then 'update' else 'unchanged' end as change,
                   case when o.id is null then null else jsonb_build_object(
                        'name', o.name, 'kind', o.kind, 'parentCode', p.code, 'setting', o.setting, 'wageRegion', o.wage_region,
                        'bankBin', o.bank_bin, 'bankAccount', o.bank_account, 'bankAccountName', o.bank_account_name) end as before
            from import_orgs i
            left join orgs o on o.code = i.code
            left join orgs p on p.id = o.parent_id;

            insert into orgs (code, name, kind, parent_id, path, province_code, setting, wage_region, bank_bin, bank_account, bank_account_name, created_at, updated_at)
            select code, name, kind, null, path, province_code, setting, wage_region, bank_bin, bank_account, bank_account_name, @now, @now
            from import_orgs_resolved where change = 'create';

            -- Descendants of a moved organization that the file does not list follow it (the longest moved prefix wins).
            update orgs d set path = m.new_path, province_code = m.province_code, updated_at = @now
            from (
              select distinct on (d.id) d.id, r.path || substr(d.path, length(r.old_path) + 1) as new_path,
                     case when r.kind = 'central' then d.province_code else r.province_code end as province_code
              from orgs d
              join import_orgs_resolved r on r.change = 'update' and r.old_path <> r.path and starts_with(d.path, r.old_path) and d.path <> r.old_path
              where not exists (select 1 from import_orgs f where f.code = d.code)
              order by d.id, length(r.old_path) desc
            ) m
            where d.id = m.id;

            update orgs o
            set name = r.name, kind = r.kind, parent_id = p.id, path = r.path, province_code = r.province_code,
                setting = r.setting, wage_region = r.wage_region, bank_bin = r.bank_bin, bank_account = r.bank_account,
                bank_account_name = r.bank_account_name,
                updated_at = case when r.change = 'unchanged' then o.updated_at else @now end
            from import_orgs_resolved r
            left join orgs p on p.code = r.parent_code
            where o.code = r.code
              and (r.change <> 'unchanged' or o.parent_id is distinct from p.id or o.path <> r.path);

            """, ct, ("now", ctx.Now));

        await ctx.AuditChanges("""
            select line, case change when 'create' then 'org.create' else 'org.update' end, 'org', code, before,
                   jsonb_build_object('name', name, 'kind', kind, 'parentCode', parent_code, 'setting', setting, 'wageRegion', wage_region,
                                      'bankBin', bank_bin, 'bankAccount', bank_account, 'bankAccountName', bank_account_name),
                   path
            from import_orgs_resolved where change <> 'unchanged'
            """, ct);

        var result = await ctx.Counts("import_orgs_resolved", ct);
        await ctx.AuditImport("orgs", sha256, result, ct);
        return new ImportOutcome(result, []);
    }

    /// <summary>
    /// The stored organizations the file touches: those it lists, the parents it names, and every ancestor of those
    /// (read off their paths), with kinds. Enough to walk any chain the file creates without loading the whole tree.
    /// </summary>
    private static async Task<Dictionary<string, Stored>> LoadStoredChains(ImportContext ctx, IEnumerable<OrgRow> rows, CancellationToken ct)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            wanted.Add(r.Code);
            if (r.ParentCode is not null)
            {
                wanted.Add(r.ParentCode);
            }
        }
        var stored = new Dictionary<string, Stored>(StringComparer.Ordinal);
        for (int round = 0; round < 2 && wanted.Count > 0; round++)
        {
            await using (var cmd = ctx.Command("select code, path, kind from orgs where code = any(@codes)", ("codes", wanted.ToArray())))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    OrgCodes.TryParseKind(reader.GetString(2), out var kind);
                    stored[reader.GetString(0)] = new Stored(reader.GetString(0), reader.GetString(1), kind);
                }
            }
            // Second round: ancestors named in the paths we just read.
            wanted = stored.Values.SelectMany(s => PathCodes(s.Path)).Where(c => !stored.ContainsKey(c)).ToHashSet(StringComparer.Ordinal);
        }
        return stored;
    }

    private static string[] PathCodes(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static void CheckTree(ImportContext ctx, Dictionary<string, OrgRow> file, Dictionary<string, Stored> stored, HashSet<string> refused, List<RowError> errors)
    {
        string? StoredParent(string code)
        {
            string[] chain = PathCodes(stored[code].Path);
            return chain.Length >= 2 ? chain[^2] : null;
        }
        bool Known(string code) => file.ContainsKey(code) || stored.ContainsKey(code) || refused.Contains(code);
        // A refused row's own parent is unknown: walking up stops there.
        string? ParentOf(string code) => file.TryGetValue(code, out var r) ? r.ParentCode : refused.Contains(code) ? null : StoredParent(code);
        OrgKind? KindOf(string code) => file.TryGetValue(code, out var r) ? r.Kind : stored.TryGetValue(code, out var st) ? st.Kind : null;

        var badChain = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in file.Values.OrderBy(r => r.Line))
        {
            if (row.ParentCode is null)
            {
                if (row.Kind != OrgKind.Central && !ctx.Actor.IsAdmin)
                {
                    errors.Add(new RowError(row.Line, "parent_code", null, "Chỉ tổ chức Trung ương, hoặc tổ chức cao nhất của một cây do quản trị hệ thống nhập, mới được để trống mã cấp trên."));
                    badChain.Add(row.Code);
                }
                continue;
            }
            if (!Known(row.ParentCode))
            {
                errors.Add(new RowError(row.Line, "parent_code", row.ParentCode, $"Tổ chức cấp trên '{row.ParentCode}' chưa có trong tệp hoặc trong hệ thống."));
                badChain.Add(row.Code);
                continue;
            }
            // Walk up the merged tree (the file overrides what is stored): a revisit is a cycle.
            var seen = new HashSet<string>(StringComparer.Ordinal) { row.Code };
            for (string? up = row.ParentCode; up is not null; up = Known(up) ? ParentOf(up) : null)
            {
                if (!seen.Add(up))
                {
                    errors.Add(new RowError(row.Line, "parent_code", row.ParentCode, $"Quan hệ cấp trên tạo thành vòng lặp qua tổ chức '{up}'."));
                    badChain.Add(row.Code);
                    break;
                }
            }
            if (!badChain.Contains(row.Code) && KindOf(row.ParentCode) is { } parentKind && !parentKind.MayContain(row.Kind))
            {
                errors.Add(new RowError(row.Line, "kind", row.Kind.ToCode(),
                    $"{row.Kind.ToVietnamese()} không thể trực thuộc {parentKind.ToVietnamese().ToLowerInvariant()} ('{row.ParentCode}')."));
            }
        }
        if (badChain.Count > 0)
        {
            return;
        }

        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        string PathOf(string code)
        {
            if (!paths.TryGetValue(code, out string? path))
            {
                string? parent = ParentOf(code);
                path = (parent is null ? "/" : PathOf(parent)) + code + "/";
                paths[code] = path;
            }
            return path;
        }
        foreach (var row in file.Values)
        {
            row.Path = PathOf(row.Code);
            string[] chain = PathCodes(row.Path);
            row.ProvinceCode = chain.LastOrDefault(c => KindOf(c) == OrgKind.Province)
                ?? (chain.Length >= 2 && KindOf(chain[0]) == OrgKind.Central ? chain[1] : chain[0]);
            if (!ctx.Actor.IsAdmin)
            {
                string scope = ctx.ScopePrefix;
                bool movesOutOf = stored.TryGetValue(row.Code, out var old) && !old.Path.StartsWith(scope, StringComparison.Ordinal);
                if (!row.Path.StartsWith(scope, StringComparison.Ordinal) || movesOutOf)
                {
                    errors.Add(new RowError(row.Line, "code", row.Code, "Tổ chức này nằm ngoài phạm vi quản lý của bạn."));
                }
            }
        }
    }

    private static OrgRow? Validate(CsvRows row, List<RowError> errors)
    {
        int before = errors.Count;
        int line = row.Line;
        if (Cells.Required(row, "code", errors, out string code)
            && !Cells.MatchesCode(code, 30, c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c) || c is '.' or '_' or '-'))
        {
            errors.Add(new RowError(line, "code", code, "Mã tổ chức gồm tối đa 30 ký tự A–Z, 0–9, '.', '_' hoặc '-'."));
        }
        if (Cells.Required(row, "name", errors, out string name) && name.Length > 300)
        {
            errors.Add(new RowError(line, "name", name, "Tên tổ chức dài quá 300 ký tự."));
        }
        OrgKind kind = default;
        if (Cells.Required(row, "kind", errors, out string kindText) && !OrgCodes.TryParseKind(kindText, out kind))
        {
            errors.Add(new RowError(line, "kind", kindText, "Loại tổ chức phải là central, province, upper, base_committee, base_cell, sub_committee hoặc cell."));
        }
        string? parent = row["parent_code"];
        if (parent == code && parent is not null)
        {
            errors.Add(new RowError(line, "parent_code", parent, "Tổ chức không thể là cấp trên của chính nó."));
        }
        OrgSetting setting = default;
        if (Cells.Required(row, "setting", errors, out string settingText) && !OrgCodes.TryParseSetting(settingText, out setting))
        {
            errors.Add(new RowError(line, "setting", settingText, "Loại hình phải là commune (xã, phường, đặc khu), enterprise (doanh nghiệp) hoặc other (cơ quan, đơn vị khác)."));
        }
        WageRegion region = default;
        if (Cells.Required(row, "wage_region", errors, out string regionText))
        {
            if (regionText is "1" or "2" or "3" or "4")
            {
                region = (WageRegion)(regionText[0] - '0');
            }
            else
            {
                errors.Add(new RowError(line, "wage_region", regionText, "Vùng lương tối thiểu phải là 1, 2, 3 hoặc 4."));
            }
        }

        string? bin = row["bank_bin"], account = row["bank_account"], accountName = row["bank_account_name"];
        bool anyBank = bin is not null || account is not null || accountName is not null;
        if (anyBank)
        {
            if (bin is null || account is null || accountName is null)
            {
                foreach (var (column, value) in new[] { ("bank_bin", bin), ("bank_account", account), ("bank_account_name", accountName) })
                {
                    if (value is null)
                    {
                        errors.Add(new RowError(line, column, null, "Thông tin tài khoản ngân hàng phải đủ cả ba cột (mã BIN, số tài khoản, tên tài khoản) hoặc để trống cả ba."));
                    }
                }
            }
            if (bin is not null && !NapasBanks.TryFind(bin, out _))
            {
                errors.Add(new RowError(line, "bank_bin", bin, "Mã BIN ngân hàng không có trong danh sách NAPAS."));
            }
            if (account is not null && !BankAccountNumber.TryCreate(account, out _, out string? accountError))
            {
                errors.Add(new RowError(line, "bank_account", account, accountError));
            }
            if (accountName is not null && !BankAccountName.TryCreate(accountName, out _, out string? nameError))
            {
                errors.Add(new RowError(line, "bank_account_name", accountName, nameError));
            }
        }
        return errors.Count == before ? new OrgRow(line, code, name, kind, parent, setting, region, bin, account, accountName) : null;
    }

    private static Task WriteText(Npgsql.NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);
}

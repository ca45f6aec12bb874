using Fees.Domain.Rules;
using Fees.Domain.Time;
using NpgsqlTypes;

namespace Fees.Persistence.Imports;

/// <summary>
/// <c>member_no,period,si_salary,si_benefit,pension</c> (contract §3): social-insurance salary, benefit and
/// pension per member and month, whole đồng; an empty cell means "none". Re-importing the same rows changes
/// nothing and says so. Changes to existing figures are audited row by row (before/after); new rows are covered
/// by the import's own audit record, which names the file by its SHA-256. An imported figure that differs from one the
/// member declared replaces it (the latest figure for a month wins; the audit keeps both), and the month's source is
/// <c>import</c> again.
/// </summary>
public static class IncomeImport
{
    public static readonly string[] Columns = ["member_no", "period", "si_salary", "si_benefit", "pension"];

    /// <summary>Data older than this serves no dues period on the system (the first is 2026-08, based on 2026-07).</summary>
    public static readonly Period EarliestUseful = Period.Of(2026, 1);

    public static async Task<ImportOutcome> Run(ImportContext ctx, Stream csv, string sha256, CancellationToken ct)
    {
        var errors = new List<RowError>();
        using var rows = CsvRows.Open(csv, Columns, errors);
        if (!rows.HeaderIsValid)
        {
            return ImportOutcome.Failed(errors);
        }
        await ctx.Execute("""
            create temp table import_income (
              line int not null, member_no text not null, period date not null,
              si_salary bigint, si_benefit bigint, pension bigint) on commit drop
            """, ct);
        var latest = Period.Containing(ctx.Today).AddMonths(1);
        await using (var copy = await ctx.BeginCopy(
            "copy import_income (line, member_no, period, si_salary, si_benefit, pension) from stdin (format binary)", ct))
        {
            while (rows.Read(errors))
            {
                int before = errors.Count;
                Cells.Required(rows, "member_no", errors, out string memberNo);
                Period period = default;
                if (Cells.Required(rows, "period", errors, out string periodText))
                {
                    if (!Period.TryParse(periodText, out period))
                    {
                        errors.Add(new RowError(rows.Line, "period", periodText, "Kỳ phải có dạng yyyy-MM (ví dụ 2026-07)."));
                    }
                    else if (period < EarliestUseful || period > latest)
                    {
                        errors.Add(new RowError(rows.Line, "period", periodText,
                            $"Kỳ phải từ {EarliestUseful} đến {latest}: dữ liệu khác không dùng để tính đảng phí trên hệ thống."));
                    }
                }
                Cells.OptionalDong(rows, "si_salary", errors, FeeLimits.MaxMonthlyIncome, out long? salary);
                Cells.OptionalDong(rows, "si_benefit", errors, FeeLimits.MaxMonthlyIncome, out long? benefit);
                Cells.OptionalDong(rows, "pension", errors, FeeLimits.MaxMonthlyIncome, out long? pension);
                if (errors.Count != before)
                {
                    continue;
                }
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(rows.Line, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(memberNo, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(period.FirstDay, NpgsqlDbType.Date, ct);
                await WriteNullable(copy, salary, ct);
                await WriteNullable(copy, benefit, ct);
                await WriteNullable(copy, pension, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await ctx.Execute("analyze import_income", ct); // a temporary table is never analyzed by autovacuum (see MemberImport)

        // Each member of the file, once, with the directory's whole key and the organization of their open official
        // placement. Every lookup is an index probe per row of the file (LATERAL … OFFSET 0 / LIMIT 1 cannot be turned
        // into a join): the nation arrives as 40 committees' files in turn, and a hash join here read the whole
        // nation's directory and placements for every file (files × nation), while a join planned on statistics older
        // than the last import looped over every open placement per income row (scale 0.01: 95 million rows removed by
        // the join filter for a 3,151-row file). Index probes cost the same whatever the statistics say. The open
        // placement is the newest official one, read through the btree (member_id, valid_from): 5 µs a probe against
        // 22 µs through the GiST index of the exclusion constraint that held the rule until 20261203090000.
        await ctx.Execute("""
            create temp table import_income_members on commit drop as
            select f.member_no, n.member_id, n.province_id, p.org_path
            from (select distinct member_no from import_income) f
            left join lateral (
              select d.member_id, d.province_id from member_numbers d where d.member_no = f.member_no offset 0) n on true
            left join lateral (
              select o.path as org_path from member_placements p join orgs o on o.id = p.org_id
              where p.member_id = n.member_id and p.province_id = n.province_id and p.kind = 'official' and p.valid_to is null
              order by p.valid_from desc limit 1) p on true
            """, ct);
        await ctx.Execute("analyze import_income_members", ct);

        ctx.Progress.Phase(ImportPhase.Checking);
        await ctx.CollectErrors("""
            select i.line, 'period', to_char(i.period, 'YYYY-MM'),
                   'Số liệu của đảng viên ' || i.member_no || ' kỳ ' || to_char(i.period, 'YYYY-MM') || ' trùng với dòng ' || d.first_line || '.'
            from import_income i
            join (select member_no, period, min(line) as first_line from import_income group by member_no, period having count(*) > 1) d
              on d.member_no = i.member_no and d.period = i.period and i.line > d.first_line
            union all
            select i.line, 'member_no', i.member_no, 'Số thẻ đảng viên chưa có trong hệ thống.'
            from import_income i join import_income_members m on m.member_no = i.member_no where m.member_id is null
            union all
            select i.line, 'member_no', i.member_no, 'Đảng viên này đang sinh hoạt ở tổ chức ngoài phạm vi quản lý của bạn.'
            from import_income i join import_income_members m on m.member_no = i.member_no
            where not starts_with(m.org_path, @scope)
            """, errors, ct, ("scope", ctx.ScopePrefix));
        if (errors.Count > 0)
        {
            return ImportOutcome.Failed(errors);
        }

        ctx.Progress.Phase(ImportPhase.Writing);
        await ctx.Execute("""
            -- The file's rows joined to its own members (both staging tables, analyzed), and each row's existing figures
            -- found through the primary key of income_records, one probe per row (never a scan of the nation's records).
            create temp table import_income_resolved on commit drop as
            select i.*, m.member_id, m.province_id as member_province_id, m.org_path, r.province_id as record_province_id,
                   case when r.member_id is null then 'create'
                        when (r.si_salary, r.si_benefit, r.pension) is distinct from (i.si_salary, i.si_benefit, i.pension) then 'update'
                        else 'unchanged' end as change,
                   case when r.member_id is null then null
                        else jsonb_build_object('siSalary', r.si_salary, 'siBenefit', r.si_benefit, 'pension', r.pension, 'source', r.source) end as before
            from import_income i
            join import_income_members m on m.member_no = i.member_no
            left join lateral (
              select r.member_id, r.province_id, r.si_salary, r.si_benefit, r.pension, r.source from income_records r
              where r.member_id = m.member_id and r.period = i.period offset 0) r on true
            """, ct);
        // Its real share of updates (none in a first load), so the update below probes income_records per changed row.
        await ctx.Execute("analyze import_income_resolved", ct);
        await ctx.Execute("""
            insert into income_records (province_id, member_id, period, si_salary, si_benefit, pension, updated_at)
            select x.member_province_id, x.member_id, x.period, x.si_salary, x.si_benefit, x.pension, @now
            from import_income_resolved x where x.change = 'create';

            update income_records r set si_salary = x.si_salary, si_benefit = x.si_benefit, pension = x.pension, source = 'import', updated_at = @now
            from import_income_resolved x
            where x.change = 'update' and r.member_id = x.member_id and r.period = x.period and r.province_id = x.record_province_id;

            """, ct, ("now", ctx.Now));

        await ctx.AuditChanges("""
            select line, 'income.update', 'income', member_no || '/' || to_char(period, 'YYYY-MM'), before,
                   jsonb_build_object('siSalary', si_salary, 'siBenefit', si_benefit, 'pension', pension), org_path
            from import_income_resolved where change = 'update'
            """, ct);

        var result = await ctx.Counts("import_income_resolved", ct);
        await ctx.AuditImport("income", sha256, result, ct);
        return new ImportOutcome(result, []);
    }

    private static Task WriteNullable(Npgsql.NpgsqlBinaryImporter copy, long? value, CancellationToken ct) =>
        value is { } v ? copy.WriteAsync(v, NpgsqlDbType.Bigint, ct) : copy.WriteNullAsync(ct);
}

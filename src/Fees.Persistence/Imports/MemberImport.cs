using Fees.Domain.Members;
using NpgsqlTypes;

namespace Fees.Persistence.Imports;

/// <summary>
/// <c>member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on</c> (contract §3).
/// Rows stream through the cell checks into a COPY staging table; references, duplicates and scope are
/// checked in SQL; then one set-based merge writes members, their placement history and an audit record per
/// changed member. A member whose organization changes is moved from today (chuyển sinh hoạt đảng): the old
/// placement is closed, not overwritten, so the dues of each period stay with the right organization.
/// </summary>
public static class MemberImport
{
    public static readonly string[] Columns = ["member_no", "full_name", "org_code", "status", "category", "birth_date", "sex", "party_joined_on"];

    public static async Task<ImportOutcome> Run(ImportContext ctx, Dues.StatementTransfers transfers, Stream csv, string sha256, CancellationToken ct)
    {
        var errors = new List<RowError>();
        using var rows = CsvRows.Open(csv, Columns, errors);
        if (!rows.HeaderIsValid)
        {
            return ImportOutcome.Failed(errors);
        }
        await ctx.Execute("""
            create temp table import_members (
              line int not null, member_no text not null, full_name text not null, org_code text not null,
              status text not null, category text not null, birth_date date not null, sex text not null,
              party_joined_on date not null) on commit drop
            """, ct);

        await using (var copy = await ctx.BeginCopy(
            "copy import_members (line, member_no, full_name, org_code, status, category, birth_date, sex, party_joined_on) from stdin (format binary)", ct))
        {
            while (rows.Read(errors))
            {
                if (Validate(rows, ctx.Today, errors) is { } r)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(rows.Line, NpgsqlDbType.Integer, ct);
                    await copy.WriteAsync(r.MemberNo, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.FullName, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.OrgCode, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.Status.ToCode(), NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.Category.ToCode(), NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.BirthDate, NpgsqlDbType.Date, ct);
                    await copy.WriteAsync(r.Sex.ToCode(), NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(r.JoinedOn, NpgsqlDbType.Date, ct);
                }
            }
            await copy.CompleteAsync(ct);
        }
        // The staged rows' real count and values: a temporary table is never analyzed by autovacuum, and its planner
        // guess (at least 10 pages) made a 40-row file look like hundreds of rows, enough for a scan of every member.
        await ctx.Execute("analyze import_members", ct);

        // Each row with what the database holds for it, found by index probes per row of the file (LATERAL … OFFSET 0
        // and LIMIT 1 cannot become joins): the organization by its code, the member through the directory (unique on
        // member_no) and then their whole key, and their one open official placement (the database allows no other:
        // 20261203090000_PlacementOverlapsBySet), read as the newest through the btree (member_id, valid_from): a probe
        // of the GiST index of the exclusion constraint that held the rule before cost 22 µs, the btree 5 µs. The nation arrives as 40 committees' files in turn; hash joins here read
        // the whole nation's members, directory and placements for every file (files × nation), and a join planned on
        // statistics older than the last import looped over every placement per member. Probes cost the same whatever
        // the statistics say.
        await ctx.Execute("""
            create temp table import_members_resolved on commit drop as
            select i.*, o.id as org_id, o.path as org_path, o.province_id as org_province_id,
                   n.member_id, n.province_id as member_province_id,
                   p.id as placement_id, p.province_id as placement_province_id, p.org_id as current_org_id, p.valid_from as current_from,
                   p.org_path as current_org_path,
                   case when n.member_id is null then 'create'
                        when (m.full_name, m.status, m.category, m.birth_date, m.sex, m.party_joined_on, p.org_id)
                             is distinct from (i.full_name, i.status, i.category, i.birth_date, i.sex, i.party_joined_on, o.id)
                        then 'update' else 'unchanged' end as change,
                   case when n.member_id is null then null else jsonb_build_object(
                        'fullName', m.full_name, 'orgCode', p.org_code, 'status', m.status, 'category', m.category,
                        'birthDate', m.birth_date, 'sex', m.sex, 'partyJoinedOn', m.party_joined_on) end as before
            from import_members i
            left join lateral (
              select o.id, o.path, o.province_id from orgs o where o.code = i.org_code offset 0) o on true
            left join lateral (
              select d.member_id, d.province_id from member_numbers d where d.member_no = i.member_no offset 0) n on true
            left join lateral (
              select m.full_name, m.status, m.category, m.birth_date, m.sex, m.party_joined_on from members m
              where m.id = n.member_id and m.province_id = n.province_id offset 0) m on true
            left join lateral (
              select p.id, p.province_id, p.org_id, p.valid_from, co.code as org_code, co.path as org_path
              from member_placements p join orgs co on co.id = p.org_id
              where p.member_id = n.member_id and p.province_id = n.province_id and p.kind = 'official' and p.valid_to is null
              order by p.valid_from desc limit 1) p on true
            """, ct);

        ctx.Progress.Phase(ImportPhase.Checking);
        await ctx.CollectErrors("""
            select i.line, 'member_no', i.member_no, 'Số thẻ đảng viên trùng với dòng ' || d.first_line || '.'
            from import_members i
            join (select member_no, min(line) as first_line from import_members group by member_no having count(*) > 1) d
              on d.member_no = i.member_no and i.line > d.first_line
            union all
            select r.line, 'org_code', r.org_code, 'Tổ chức đảng ''' || r.org_code || ''' chưa có trong hệ thống (cần nhập tệp tổ chức trước).'
            from import_members_resolved r where r.org_id is null
            union all
            select r.line, 'org_code', r.org_code, 'Tổ chức đảng ''' || r.org_code || ''' nằm ngoài phạm vi quản lý của bạn.'
            from import_members_resolved r where not starts_with(r.org_path, @scope)
            union all
            select r.line, 'member_no', r.member_no, 'Đảng viên này đang sinh hoạt ở tổ chức ngoài phạm vi quản lý của bạn.'
            from import_members_resolved r where not starts_with(r.current_org_path, @scope)
            """, errors, ct, ("scope", ctx.ScopePrefix));
        if (errors.Count > 0)
        {
            return ImportOutcome.Failed(errors);
        }

        ctx.Progress.Phase(ImportPhase.Writing);
        await ctx.Execute("analyze import_members_resolved", ct);

        await ctx.Execute("""
            -- The new members' ids and provinces straight from the insert (every statement below names a row of a
            -- distributed table by its whole key, docs/scaling.md), not looked up again in the directory.
            with created as (
              insert into members (province_id, member_no, full_name, status, category, birth_date, sex, party_joined_on, created_at, updated_at)
              select r.org_province_id, r.member_no, r.full_name, r.status, r.category, r.birth_date, r.sex, r.party_joined_on, @now, @now
              from import_members_resolved r where r.change = 'create'
              returning id, member_no, province_id)
            update import_members_resolved r set member_id = c.id, member_province_id = c.province_id
            from created c where r.change = 'create' and r.member_no = c.member_no;

            update members m
            set full_name = r.full_name, status = r.status, category = r.category, birth_date = r.birth_date,
                sex = r.sex, party_joined_on = r.party_joined_on, updated_at = @now
            from import_members_resolved r
            where r.member_id = m.id and m.province_id = r.member_province_id and r.change = 'update'
              and (m.full_name, m.status, m.category, m.birth_date, m.sex, m.party_joined_on)
                  is distinct from (r.full_name, r.status, r.category, r.birth_date, r.sex, r.party_joined_on);

            -- A move recorded on the day its placement began is a same-day correction; otherwise the history grows.
            update member_placements p set org_id = r.org_id, province_id = r.org_province_id, recorded_at = @now, recorded_by = @actor
            from import_members_resolved r
            where p.id = r.placement_id and p.province_id = r.placement_province_id and r.current_org_id <> r.org_id and r.current_from >= @today;

            update member_placements p set valid_to = @today
            from import_members_resolved r
            where p.id = r.placement_id and p.province_id = r.placement_province_id and r.current_org_id <> r.org_id and r.current_from < @today;

            insert into member_placements (province_id, member_id, org_id, kind, valid_from, valid_to, recorded_at, recorded_by, reference)
            select r.org_province_id, r.member_id, r.org_id, 'official',
                   case when r.change = 'create' then @since else @today end, null, @now, @actor, 'import'
            from import_members_resolved r
            where r.change = 'create'
               or (r.change = 'update' and r.placement_id is null)
               or (r.current_org_id <> r.org_id and r.current_from < @today);

            -- A member's row lives in the province of the member's organization (docs/scaling.md). A new placement has
            -- moved it already (members_follow_placement); a same-day correction has not, and the row is still where it was.
            update members m set province_id = r.org_province_id
            from import_members_resolved r
            where m.id = r.member_id and m.province_id = r.member_province_id and r.member_province_id <> r.org_province_id;

            """, ct, ("now", ctx.Now), ("actor", ctx.Actor.Username), ("today", ctx.Today), ("since", MemberPlacement.SinceBeforeSystem));

        await ctx.AuditChanges("""
            select line, case change when 'create' then 'member.create' else 'member.update' end, 'member', member_no, before,
                   jsonb_build_object('fullName', full_name, 'orgCode', org_code, 'status', status, 'category', category,
                                      'birthDate', birth_date, 'sex', sex, 'partyJoinedOn', party_joined_on),
                   org_path
            from import_members_resolved where change <> 'unchanged'
            """, ct);

        // Members who moved take their unpaid dues with them (FR: the obligation follows the member).
        var moved = new List<Dues.MovedMember>();
        await using (var cmd = ctx.Command("select member_id, org_id from import_members_resolved where change = 'update' and current_org_id <> org_id"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                moved.Add(new Dues.MovedMember(r.GetInt64(0), r.GetInt64(1)));
            }
        }
        await transfers.Apply(moved, ctx.Actor, ct);

        var result = await ctx.Counts("import_members_resolved", ct);
        await ctx.AuditImport("members", sha256, result, ct);
        return new ImportOutcome(result, []);
    }

    private sealed record MemberRow(string MemberNo, string FullName, string OrgCode, MemberStatus Status, MemberCategory Category, DateOnly BirthDate, Sex Sex, DateOnly JoinedOn);

    private static MemberRow? Validate(CsvRows row, DateOnly today, List<RowError> errors)
    {
        int before = errors.Count;
        int line = row.Line;
        if (Cells.Required(row, "member_no", errors, out string memberNo)
            && !Cells.MatchesCode(memberNo, 20, c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
        {
            errors.Add(new RowError(line, "member_no", memberNo, "Số thẻ đảng viên gồm tối đa 20 ký tự chữ số, chữ cái, '.' hoặc '-'."));
        }
        if (Cells.Required(row, "full_name", errors, out string fullName) && fullName.Length > 200)
        {
            errors.Add(new RowError(line, "full_name", fullName, "Họ và tên dài quá 200 ký tự."));
        }
        Cells.Required(row, "org_code", errors, out string orgCode);
        MemberStatus status = default;
        if (Cells.Required(row, "status", errors, out string statusText) && !MemberCodes.TryParseStatus(statusText, out status))
        {
            errors.Add(new RowError(line, "status", statusText, "Trạng thái phải là official (chính thức) hoặc probationary (dự bị)."));
        }
        MemberCategory category = default;
        if (Cells.Required(row, "category", errors, out string categoryText) && !MemberCodes.TryParseCategory(categoryText, out category))
        {
            errors.Add(new RowError(line, "category", categoryText, "Đối tượng phải là một trong: si, si_benefit, pensioner, student, other, social_pension."));
        }
        Sex sex = default;
        if (Cells.Required(row, "sex", errors, out string sexText) && !MemberCodes.TryParseSex(sexText, out sex))
        {
            errors.Add(new RowError(line, "sex", sexText, "Giới tính phải là M (nam) hoặc F (nữ)."));
        }
        bool birthOk = Cells.Date(row, "birth_date", errors, out DateOnly birth);
        bool joinedOk = Cells.Date(row, "party_joined_on", errors, out DateOnly joined);
        if (birthOk && birth > today)
        {
            errors.Add(new RowError(line, "birth_date", row["birth_date"], "Ngày sinh ở tương lai."));
        }
        if (joinedOk && joined > today)
        {
            errors.Add(new RowError(line, "party_joined_on", row["party_joined_on"], "Ngày vào Đảng ở tương lai."));
        }
        if (birthOk && joinedOk && joined < birth.AddYears(16))
        {
            errors.Add(new RowError(line, "party_joined_on", row["party_joined_on"], "Ngày vào Đảng sớm hơn tuổi 16 của đảng viên: kiểm tra lại ngày sinh hoặc ngày vào Đảng."));
        }
        return errors.Count == before ? new MemberRow(memberNo, fullName, orgCode, status, category, birth, sex, joined) : null;
    }
}

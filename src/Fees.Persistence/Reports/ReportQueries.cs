using Fees.Domain.Dues;
using Fees.Domain.Organizations;
using Fees.Domain.Remittance;
using Fees.Domain.Time;
using Fees.Reports.Arrears;
using Fees.Reports.B01;
using Fees.Reports.Completion;
using Fees.Reports.Readiness;
using Fees.Reports.Reconciliation;
using Fees.Reports.ReportRanges;
using Fees.Reports.S01;
using Fees.Reports.S02;
using Fees.Reports.Tables;
using Npgsql;

namespace Fees.Persistence.Reports;

/// <summary>
/// The reads behind every report: set-based SQL over an organization's subtree (<c>orgs.path</c> prefix), a handful of
/// statements per report whatever the number of members, nothing written. What each figure means is in
/// <c>docs/reports.md</c>.
/// </summary>
public sealed class ReportQueries(NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>Statements that count: a statement moved to another organization is counted there, not twice.</summary>
    private const string Counted = "s.status <> @st_transferred";

    public async Task<ReportDocument> Build(string report, OrgUnit org, ReportRange range, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(range);
        var header = new ReportHeader(org.Code, org.Name, range);
        return report switch
        {
            "s01" => (await S01(header, org, range, ct)).ToDocument(),
            "s02" => (await S02(header, org, range, ct)).ToDocument(),
            "b01" => (await B01(header, org, range, ct)).ToDocument(),
            "reconciliation" => (await Reconciliation(header, org, range, ct)).ToDocument(),
            "arrears" => (await Arrears(header, org, range, ct)).ToDocument(),
            "readiness" => (await Readiness(header, org, range, ct)).ToDocument(),
            "completion" => (await Completion(header, org, range, ct)).ToDocument(),
            _ => throw new ArgumentOutOfRangeException(nameof(report), report, "Not a report."),
        };
    }

    public async Task<S01Book> S01(ReportHeader header, OrgUnit org, ReportRange range, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(range);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var members = new List<S01MemberMonth>();
        await using (var cmd = Command(conn, $"""
            select m.member_no, m.full_name, to_char(s.period, 'YYYY-MM'), s.status = @st_exempt,
                   coalesce(i.si_salary, i.si_benefit, i.pension, 0)::bigint, s.amount, s.paid
            from dues_statements s
            join orgs o on o.id = s.org_id
            join members m on m.id = s.member_id
            left join income_records i on i.member_id = s.member_id and i.period = (s.period - interval '1 month')::date
            where starts_with(o.path, @prefix) and s.period between @from and @to and {Counted}{InProvince(org, "s")}
            order by s.period, o.path, m.member_no
            """, org, range))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                members.Add(new S01MemberMonth(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), r.GetInt64(4), r.GetInt64(5), 0, r.GetInt64(6)));
            }
        }
        var months = new List<S01MonthTotal>();
        await using (var cmd = Command(conn, $"""
            with months as (select generate_series(@from::timestamp, @to::timestamp, interval '1 month')::date as period),
            st as (
              select s.period, count(*)::int as members, (count(*) filter (where s.status = @st_exempt))::int as exempt,
                     (count(*) filter (where s.status = any(@st_outstanding)))::int as unpaid, sum(s.paid)::bigint as paid
              from dues_statements s join orgs o on o.id = s.org_id
              where starts_with(o.path, @prefix) and s.period between @from and @to and {Counted}{InProvince(org, "s")}
              group by s.period),
            cl as (
              select c.period, sum(c.retained)::bigint as retained, sum(c.remitted)::bigint as remitted,
                     coalesce(sum(c.remitted) filter (where r.status = any(@remit_sent)), 0)::bigint as remitted_paid
              from period_closes c left join remittance_orders r on r.close_id = c.id
              where c.org_id = @org and c.status = 'closed' and c.period between @from and @to
              group by c.period)
            select to_char(m.period, 'YYYY-MM'), coalesce(st.members, 0), coalesce(st.exempt, 0), coalesce(st.unpaid, 0), coalesce(st.paid, 0),
                   coalesce(cl.retained, 0), coalesce(cl.remitted, 0), coalesce(cl.remitted_paid, 0)
            from months m left join st on st.period = m.period left join cl on cl.period = m.period
            order by m.period
            """, org, range))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                months.Add(new S01MonthTotal(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7)));
            }
        }
        return new S01Book(header, members, months);
    }

    public async Task<S02Book> S02(ReportHeader header, OrgUnit org, ReportRange range, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(range);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var units = new List<S02Unit>();
        await using (var cmd = Command(conn, $"""
            with kids as (select id, code, name, path from orgs where parent_id = @org),
            st as (
              select k.id, count(distinct s.member_id)::int as members, sum(s.paid)::bigint as paid
              from kids k join orgs o on starts_with(o.path, k.path)
              join dues_statements s on s.org_id = o.id and s.period between @from and @to and {Counted}{InProvince(org, "s")}
              group by k.id),
            kept as (
              select k.id, sum(c.retained)::bigint as retained
              from kids k join orgs o on starts_with(o.path, k.path)
              join period_closes c on c.org_id = o.id and c.status = 'closed' and c.period between @from and @to{InProvince(org, "c")}
              group by k.id),
            up as (
              select c.org_id as id, sum(c.remitted)::bigint as remitted,
                     coalesce(sum(c.remitted) filter (where r.status = any(@remit_sent)), 0)::bigint as remitted_paid
              from period_closes c left join remittance_orders r on r.close_id = c.id
              where c.parent_org_id = @org and c.status = 'closed' and c.period between @from and @to
              group by c.org_id)
            select k.code, k.name, coalesce(st.members, 0), coalesce(st.paid, 0), coalesce(kept.retained, 0), coalesce(up.remitted, 0), coalesce(up.remitted_paid, 0)
            from kids k left join st on st.id = k.id left join kept on kept.id = k.id left join up on up.id = k.id
            order by k.path
            """, org, range))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                units.Add(new S02Unit(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6)));
            }
        }
        S02Own own;
        await using (var cmd = Command(conn, """
            select coalesce(sum(own_collected), 0)::bigint, coalesce(sum(received_from_children), 0)::bigint, coalesce(sum(retained), 0)::bigint,
                   coalesce(sum(remitted), 0)::bigint
            from period_closes where org_id = @org and status = 'closed' and period between @from and @to
            """, org, range))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            own = new S02Own(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), RetainedCode(org.Kind));
        }
        return new S02Book(header, units, own);
    }

    /// <summary>B01/ĐP's code for what this organization keeps: 05 a cell, 06 a base organization (and its sub-committees), 07 above the base.</summary>
    public static string RetainedCode(OrgKind kind) => kind switch
    {
        OrgKind.Cell => "05",
        OrgKind.BaseCommittee or OrgKind.BaseCell or OrgKind.SubCommittee => "06",
        _ => "07",
    };

    public async Task<B01Report> B01(ReportHeader header, OrgUnit org, ReportRange range, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(range);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // One row per (figure, setting): the figure's name, then the amount.
        var figures = new Dictionary<(string Figure, string Setting), long>();
        await using (var cmd = Command(conn, $"""
            with sub as (select id, setting, kind from orgs where starts_with(path, @prefix)),
            -- What was collected: the monthly paid totals, one row per organization and month, which the statements'
            -- triggers keep equal to the counted statements' sums (migration PaidByOrgMonth, audit check
            -- paid-totals-match-statements); a province's statements are 642,462 rows a month at national scale.
            st as (
              select sub.setting, sum(t.paid) filter (where t.period >= @from)::bigint as collected, sum(t.paid)::bigint as collected_year
              from dues_paid_by_org_month t join sub on sub.id = t.org_id
              where t.period between @year and @to{InProvince(org, "t")}
              group by sub.setting),
            cl as (
              select sub.setting, sub.kind, c.org_id, c.period, c.retained, c.remitted
              from period_closes c join sub on sub.id = c.org_id
              where c.status = 'closed' and c.period between @year and @to{InProvince(org, "c")})
            -- A member has one official placement at a time (the placements' overlap check, PlacementOverlapTests), so
            -- the placements open on the day count the members: no distinct (a sort of every member) is needed. Counted
            -- per organization from ix_member_placements_org_id alone (a join read every placement of the nation).
            select 'members', sub.setting, sum(m.members)::bigint
            from sub cross join lateral (
              select count(*) as members from member_placements p
              where p.org_id = sub.id and p.kind = 'official' and p.valid_from <= @asof and (p.valid_to is null or p.valid_to > @asof){InProvince(org, "p")}) m
            group by sub.setting
            -- One pass over the totals for both sums.
            union all select 'collected', setting, collected from st where collected is not null
            union all select 'collected_year', setting, collected_year from st
            union all
            select case when kind = 'cell' then 'cells' when kind in ('base_committee', 'base_cell', 'sub_committee') then 'base' else 'above' end
                   || case when period >= @from then '' else '_before' end, setting, sum(retained)::bigint
            from cl group by 1, 2
            union all select 'remitted' || case when period >= @from then '' else '_before' end, setting, sum(remitted)::bigint
            from cl where org_id = @org group by 1, 2
            """, org, range))
        {
            // Members at the end of the range, or today if the range has not ended.
            var today = VietnamTime.Today(clock);
            cmd.Parameters.AddWithValue("asof", range.To.LastDay < today ? range.To.LastDay : today);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var key = (r.GetString(0), r.GetString(1));
                figures[key] = figures.GetValueOrDefault(key) + r.GetInt64(2);
            }
        }
        B01Figure Of(string name) => new(figures.GetValueOrDefault((name, "commune")), figures.GetValueOrDefault((name, "enterprise")),
            figures.GetValueOrDefault((name, "other")));
        B01Figure Year(string name) => Of(name) + Of(name + "_before");
        return new B01Report(header, Of("members"), Of("collected"), Of("collected_year"),
            Of("cells"), Of("base"), Of("above"), Year("cells"), Year("base"), Year("above"), Of("remitted"), Year("remitted"));
    }

    public async Task<ReconciliationReport> Reconciliation(ReportHeader header, OrgUnit org, ReportRange range, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(range);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var lines = new List<ReconciliationLine>();
        await using var cmd = Command(conn, $"""
            with sub as (select id, code, name, path from orgs where starts_with(path, @prefix)),
            st as (
              select s.org_id, sum(s.amount)::bigint as due, sum(s.paid)::bigint as paid
              from dues_statements s join sub on sub.id = s.org_id
              where s.period between @from and @to and {Counted}{InProvince(org, "s")}
              group by s.org_id),
            rc as (
              select r.org_id, sum(r.amount)::bigint as received, sum(r.allocated + r.credited)::bigint as allocated,
                     sum(r.amount - r.allocated - r.credited - r.refunded - r.deposited)::bigint as open
              from receipts r join sub on sub.id = r.org_id
              where r.booking_date between @from and @last and r.period between @from and @to{InProvince(org, "r")} -- the range's months only
              group by r.org_id)
            select sub.code, sub.name, coalesce(st.due, 0), coalesce(st.paid, 0), coalesce(rc.received, 0), coalesce(rc.allocated, 0), coalesce(rc.open, 0)
            from sub left join st on st.org_id = sub.id left join rc on rc.org_id = sub.id
            where st.org_id is not null or rc.org_id is not null
            order by sub.path
            """, org, range);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            lines.Add(new ReconciliationLine(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6)));
        }
        return new ReconciliationReport(header, lines);
    }

    public async Task<ArrearsReport> Arrears(ReportHeader header, OrgUnit org, ReportRange range, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(range);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var lines = new List<ArrearsLine>();
        await using var cmd = Command(conn, $"""
            select m.member_no, m.full_name, (array_agg(o.code order by s.period desc))[1], (array_agg(o.name order by s.period desc))[1],
                   array_agg(to_char(s.period, 'YYYY-MM') order by s.period), sum(s.amount - s.paid)::bigint, min(o.path)
            from dues_statements s join orgs o on o.id = s.org_id join members m on m.id = s.member_id
            where starts_with(o.path, @prefix) and s.period between @year and @to and s.status = any(@st_outstanding){InProvince(org, "s")}
            group by m.id, m.province_id, m.member_no, m.full_name
            having count(*) >= 3
            order by 7, m.member_no
            """, org, range);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            lines.Add(new ArrearsLine(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<string[]>(4), r.GetInt64(5)));
        }
        return new ArrearsReport(header, range.To.Year, lines);
    }

    public async Task<ReadinessReport> Readiness(ReportHeader header, OrgUnit org, ReportRange range, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(range);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        int organizations = 0;
        var noBank = new List<ReadinessOrg>();
        await using (var cmd = Command(conn, "select code, name, kind, bank_account is null from orgs where starts_with(path, @prefix) order by path", org, range))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                organizations++;
                if (r.GetBoolean(3))
                {
                    noBank.Add(new ReadinessOrg(r.GetString(0), r.GetString(1), OrgCodes.TryParseKind(r.GetString(2), out var kind) ? kind.ToVietnamese() : r.GetString(2)));
                }
            }
        }
        var noIncome = new List<ReadinessMember>();
        await using (var cmd = Command(conn, """
            select distinct on (m.member_no) m.member_no, m.full_name, o.code, m.category
            from member_placements p join orgs o on o.id = p.org_id join members m on m.id = p.member_id
            where starts_with(o.path, @prefix) and p.valid_from <= @last and (p.valid_to is null or p.valid_to > @last)
              and m.category in ('si', 'si_benefit', 'pensioner')
              and not exists (select 1 from income_records i where i.member_id = m.id and i.period = (@to - interval '1 month')::date)
            order by m.member_no, p.kind
            """, org, range))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                noIncome.Add(new ReadinessMember(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
            }
        }
        var notClosed = new List<ReadinessOpenClose>();
        var current = VietnamTime.CurrentPeriod(clock);
        await using (var cmd = Command(conn, """
            with months as (select generate_series(@from::timestamp, @to::timestamp, interval '1 month')::date as period)
            select o.code, o.name, to_char(m.period, 'YYYY-MM')
            from orgs o cross join months m
            left join close_cadences cc on cc.org_id = o.id
            where starts_with(o.path, @prefix) and m.period < @current
              and (coalesce(cc.cadence, 'monthly') = 'monthly' or extract(month from m.period)::int % 3 = 0)
              and not exists (select 1 from period_closes c where c.org_id = o.id and c.period >= m.period and c.status = 'closed')
              and not exists (select 1 from period_close_waivers w where w.org_id = o.id and w.period = m.period)
            order by o.path, m.period
            """, org, range))
        {
            cmd.Parameters.AddWithValue("current", current.FirstDay);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                notClosed.Add(new ReadinessOpenClose(r.GetString(0), r.GetString(1), r.GetString(2)));
            }
        }
        return new ReadinessReport(header, organizations, noBank, noIncome, notClosed);
    }

    public async Task<CompletionReport> Completion(ReportHeader header, OrgUnit org, ReportRange range, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(org);
        ArgumentNullException.ThrowIfNull(range);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var lines = new List<CompletionLine>();
        CompletionLine? whole = null;
        // The organization's children (or the organization itself if it has none), then the whole subtree (is_whole).
        await using var cmd = Command(conn, $"""
            with units as (
              select id, code, name, path, false as is_whole from orgs where parent_id = @org
              union all select id, code, name, path, false from orgs where id = @org and not exists (select 1 from orgs where parent_id = @org)
              union all select id, code, name, path, true from orgs where id = @org)
            select u.code, u.name, u.is_whole, count(distinct s.member_id)::int,
                   (count(s.id) filter (where s.status <> @st_exempt))::int, (count(s.id) filter (where s.status = @st_paid))::int
            from units u
            left join orgs o on starts_with(o.path, u.path)
            left join dues_statements s on s.org_id = o.id and s.period between @from and @to and {Counted}{InProvince(org, "s")}
            group by u.code, u.name, u.path, u.is_whole
            order by u.is_whole, u.path
            """, org, range);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var line = new CompletionLine(r.GetString(0), r.GetString(1), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5));
            if (r.GetBoolean(2))
            {
                whole = line;
            }
            else
            {
                lines.Add(line);
            }
        }
        return new CompletionReport(header, lines, whole ?? new CompletionLine(org.Code, org.Name, 0, 0, 0));
    }

    /// <summary>
    /// Keeps a subtree's query to its province's rows (<c>province_id</c>, the distribution column: on Citus one
    /// worker's shards; on one machine the key an index or a partition can narrow by) when the organization is a province
    /// or below, or a central-level committee (every organization under it shares its key); Trung ương's reports read
    /// every province. Rows carry their organization's province, which the audit check
    /// <c>province-keys-follow-organizations</c> proves.
    /// </summary>
    private static string InProvince(OrgUnit org, string alias) =>
        org.Kind == OrgKind.Central ? "" : $" and {alias}.province_id = (select po.province_id from orgs po where po.id = @org)";

    /// <summary>A command with the parameters every report query may use: the organization, its subtree prefix and the range's months.</summary>
    private static NpgsqlCommand Command(NpgsqlConnection conn, string sql, OrgUnit org, ReportRange range)
    {
        var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("org", org.Id);
        cmd.Parameters.AddWithValue("prefix", org.Path);
        cmd.Parameters.AddWithValue("from", range.From.FirstDay);
        cmd.Parameters.AddWithValue("to", range.To.FirstDay);
        cmd.Parameters.AddWithValue("last", range.To.LastDay);
        cmd.Parameters.AddWithValue("year", range.YearStart.FirstDay);
        // Status codes come from the lifecycles, never as SQL literals.
        cmd.Parameters.AddWithValue("st_transferred", DuesStatementStatus.Transferred.ToCode());
        cmd.Parameters.AddWithValue("st_exempt", DuesStatementStatus.Exempt.ToCode());
        cmd.Parameters.AddWithValue("st_paid", DuesStatementStatus.Paid.ToCode());
        cmd.Parameters.AddWithValue("st_outstanding", DuesStatement.OutstandingStatuses.Select(x => x.ToCode()).ToArray());
        cmd.Parameters.AddWithValue("remit_sent", new[] { RemittanceOrderStatus.Paid.ToCode(), RemittanceOrderStatus.Confirmed.ToCode() });
        return cmd;
    }
}

using System.Globalization;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Fees.Persistence.Queries;
using Npgsql;

namespace Fees.Persistence.Members;

/// <summary>A member's income declaration as the member, the cell and the API read it (amounts in đồng; null = none).</summary>
public sealed record IncomeDeclarationView(long Id, string MemberNo, string MemberName, string From, long? SiSalary, long? SiBenefit, long? Pension,
    string? Note, string Status, string ProposedBy, DateTimeOffset ProposedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? RejectionReason);

/// <summary>One month of a member's income data and where it came from (<c>import</c> or <c>declared:{id}</c>).</summary>
public sealed record IncomeMonthView(string Period, long? SiSalary, long? SiBenefit, long? Pension, string Source);

/// <summary>A declaration waiting for the cell, with the figures in force before it (what it would change).</summary>
public sealed record PendingIncomeDeclaration(IncomeDeclarationView Declaration, string OrgCode, IncomeMonthView? Before);

/// <summary>What a member declares (the API's and the page's form).</summary>
public sealed record IncomeDeclarationRequest(string? From, long? SiSalary, long? SiBenefit, long? Pension, string? Note);

/// <summary>
/// Income the member declares to the cell (issue 10 item 7), each step one transaction with its audit record: the member
/// proposes (at most one open proposal: a unique partial index, so racing proposals make one row and the others are
/// told 409), withdraws; the treasurer of the member's cell, office staff in scope or an admin confirms or rejects. A
/// confirmation writes the declared figures as the member's income data for the declaration's first month and every
/// month after it already on file (source <c>declared:{id}</c>, each month audited with its figures before and after);
/// generation then uses them for the dues of the month after, and for later months no import has filled. Issued
/// statements are never touched: generation does not rewrite a final statement.
/// </summary>
public sealed class IncomeDeclarations(NpgsqlDataSource dataSource, ScopedLookup lookup, AuditWriter audit, TimeProvider clock)
{
    /// <summary>The most declarations one list returns (a member's history, a subtree's pending queue).</summary>
    public const int MaxListed = 200;

    private const string Columns = """
        d.id, m.member_no, m.full_name, d.from_period, d.si_salary, d.si_benefit, d.pension, d.note, d.status,
        d.proposed_by, d.proposed_at, d.decided_by, d.decided_at, d.rejection_reason, d.member_id
        """;

    /// <summary>The member proposes new figures from a month on. Only the member themselves (403 otherwise).</summary>
    public async Task<Outcome<IncomeDeclarationView>> Propose(string memberNo, IncomeDeclarationRequest request, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var found = await lookup.Member(memberNo, actor, ct);
        if (!found.TryGet(out var member, out var refusal))
        {
            return refusal;
        }
        if (actor.MemberId != member.Id)
        {
            return Refusal.Forbidden;
        }
        var now = clock.GetUtcNow();
        var proposed = IncomeDeclaration.Propose(member.Id, request.From, request.SiSalary, request.SiBenefit, request.Pension, request.Note, actor.Username,
            VietnamTime.CurrentPeriod(clock), now);
        if (!proposed.TryGet(out var d, out refusal))
        {
            return refusal;
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        string? orgPath = await MemberOrgPath(conn, tx, member.Id, ct);
        if (orgPath is null)
        {
            return Refusal.Rule("no_cell", "Bạn chưa sinh hoạt ở chi bộ nào trên hệ thống: chưa có chi ủy để xác nhận kê khai thu nhập.");
        }
        long id;
        try
        {
            await using var insert = new NpgsqlCommand("""
                insert into income_declarations (province_id, member_id, from_period, si_salary, si_benefit, pension, note, status, proposed_by, proposed_at)
                values ((select province_id from members where id = @member), @member, @from, @salary, @benefit, @pension, @note, @status, @by, @at)
                returning id
                """, conn, tx);
            insert.Parameters.AddWithValue("member", d.MemberId);
            insert.Parameters.AddWithValue("from", d.From.FirstDay);
            insert.Parameters.AddWithValue("salary", Db(d.SiSalary));
            insert.Parameters.AddWithValue("benefit", Db(d.SiBenefit));
            insert.Parameters.AddWithValue("pension", Db(d.Pension));
            insert.Parameters.AddWithValue("note", (object?)d.Note ?? DBNull.Value);
            insert.Parameters.AddWithValue("status", d.Status.ToCode());
            insert.Parameters.AddWithValue("by", d.ProposedBy);
            insert.Parameters.AddWithValue("at", d.ProposedAt);
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ux_income_declarations_open" })
        {
            return Refusal.Conflict("declaration_open",
                "Bạn đang có một bản kê khai thu nhập chờ chi ủy xác nhận. Hãy chờ chi ủy xác nhận, hoặc rút lại bản đó rồi kê khai lại.");
        }
        await audit.Copy(conn, actor, [AuditEntry.Of("income_declaration.propose", "income_declaration", Id(id), null,
            new { memberNo = member.MemberNo, from = d.From.ToString(), siSalary = d.SiSalary?.Dong, siBenefit = d.SiBenefit?.Dong, pension = d.Pension?.Dong,
                note = d.Note, status = d.Status.ToCode() }, orgPath)], now, ct);
        var view = (await Read(conn, tx, id, lockRow: false, ct))!.Value.View;
        await tx.CommitAsync(ct);
        return view;
    }

    /// <summary>
    /// The treasurer of the member's cell (or office staff in scope, or an admin) confirms: the figures become the
    /// member's income data from the declaration's month on.
    /// </summary>
    public Task<Outcome<IncomeDeclarationView>> Confirm(long id, Actor actor, CancellationToken ct) =>
        Decide(id, actor, Decider.Cell, "income_declaration.confirm", (d, now) => d.Confirm(actor.Username, now), ct);

    /// <summary>The cell does not confirm, and says why (<paramref name="reason"/> is required).</summary>
    public Task<Outcome<IncomeDeclarationView>> Reject(long id, string? reason, Actor actor, CancellationToken ct) =>
        Decide(id, actor, Decider.Cell, "income_declaration.reject", (d, now) => d.Reject(actor.Username, reason, now), ct);

    /// <summary>The member takes their open declaration back.</summary>
    public Task<Outcome<IncomeDeclarationView>> Withdraw(long id, Actor actor, CancellationToken ct) =>
        Decide(id, actor, Decider.Member, "income_declaration.withdraw", (d, now) => d.Withdraw(actor.Username, now), ct);

    /// <summary>A member's declarations, newest first (the caller has looked the member up in scope).</summary>
    public async Task<IReadOnlyList<IncomeDeclarationView>> Of(long memberId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            select {Columns} from income_declarations d join members m on m.id = d.member_id
            where d.member_id = @member order by d.id desc limit {MaxListed}
            """);
        cmd.Parameters.AddWithValue("member", memberId);
        var result = new List<IncomeDeclarationView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            result.Add(ToView(r));
        }
        return result;
    }

    /// <summary>
    /// The declarations waiting for a decision from members placed today in the subtree of <paramref name="scopePrefix"/>,
    /// oldest first, each with the figures on file for its month (or the latest before it).
    /// </summary>
    public async Task<IReadOnlyList<PendingIncomeDeclaration>> Pending(string scopePrefix, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scopePrefix);
        await using var cmd = dataSource.CreateCommand($"""
            select {Columns}, o.code, i.period, i.si_salary, i.si_benefit, i.pension, i.source
            from income_declarations d
            join members m on m.id = d.member_id
            join lateral (
              select o.code from member_placements p join orgs o on o.id = p.org_id
              where p.member_id = d.member_id and p.valid_from <= @today and (p.valid_to is null or p.valid_to > @today) and starts_with(o.path, @prefix)
              order by p.kind = 'temporary', p.valid_from desc limit 1) o on true
            left join lateral (
              select r.period, r.si_salary, r.si_benefit, r.pension, r.source from income_records r
              where r.member_id = d.member_id and r.period <= d.from_period order by r.period desc limit 1) i on true
            where d.status = 'proposed'
            order by d.id limit {MaxListed}
            """);
        cmd.Parameters.AddWithValue("today", VietnamTime.Today(clock));
        cmd.Parameters.AddWithValue("prefix", scopePrefix);
        var result = new List<PendingIncomeDeclaration>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var before = r.IsDBNull(16) ? null : new IncomeMonthView(Period.Containing(r.GetFieldValue<DateOnly>(16)).ToString(),
                Long(r, 17), Long(r, 18), Long(r, 19), r.GetString(20));
            result.Add(new PendingIncomeDeclaration(ToView(r), r.GetString(15), before));
        }
        return result;
    }

    /// <summary>The member's latest month of income data on file, or null when there is none.</summary>
    public async Task<IncomeMonthView?> LatestIncome(long memberId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            select period, si_salary, si_benefit, pension, source from income_records where member_id = @member order by period desc limit 1
            """);
        cmd.Parameters.AddWithValue("member", memberId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new IncomeMonthView(Period.Containing(r.GetFieldValue<DateOnly>(0)).ToString(), Long(r, 1), Long(r, 2), Long(r, 3), r.GetString(4))
            : null;
    }

    private enum Decider
    {
        /// <summary>Treasurer, office staff or admin, with the member placed in their scope today.</summary>
        Cell,
        /// <summary>The member themselves.</summary>
        Member,
    }

    private async Task<Outcome<IncomeDeclarationView>> Decide(long id, Actor actor, Decider who, string action,
        Func<IncomeDeclaration, DateTimeOffset, Outcome<Done>> decide, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Locked: racing decisions on one declaration queue here, and the first one decides.
        var row = await Read(conn, tx, id, lockRow: true, ct);
        if (row is not { } found)
        {
            return Refusal.NotFound("bản kê khai thu nhập");
        }
        var allowed = await MayDecide(found.View.MemberNo, found.Declaration.MemberId, actor, who, ct);
        if (!allowed.Succeeded)
        {
            return allowed.Refusal;
        }
        var d = found.Declaration;
        var before = d.Status;
        var now = clock.GetUtcNow();
        var decided = decide(d, now);
        if (!decided.Succeeded)
        {
            return decided.Refusal;
        }
        await using (var update = new NpgsqlCommand("""
            update income_declarations set status = @status, decided_by = @by, decided_at = @at, rejection_reason = @reason where id = @id
            """, conn, tx))
        {
            update.Parameters.AddWithValue("status", d.Status.ToCode());
            update.Parameters.AddWithValue("by", d.DecidedBy!);
            update.Parameters.AddWithValue("at", d.DecidedAt!.Value);
            update.Parameters.AddWithValue("reason", (object?)d.RejectionReason ?? DBNull.Value);
            update.Parameters.AddWithValue("id", id);
            await update.ExecuteNonQueryAsync(ct);
        }
        string? orgPath = await MemberOrgPath(conn, tx, d.MemberId, ct);
        var entries = new List<AuditEntry>();
        IReadOnlyList<string> months = [];
        if (d.Status == IncomeDeclarationStatus.Confirmed)
        {
            var written = await WriteIncome(conn, tx, d, now, ct);
            months = written.Select(w => w.Period).ToList();
            entries.AddRange(written.Select(w => AuditEntry.Of("income.declared", "income", found.View.MemberNo + "/" + w.Period, w.Before,
                new { siSalary = d.SiSalary?.Dong, siBenefit = d.SiBenefit?.Dong, pension = d.Pension?.Dong, source = d.Source }, orgPath)));
        }
        entries.Insert(0, AuditEntry.Of(action, "income_declaration", Id(id), new { status = before.ToCode() },
            new { memberNo = found.View.MemberNo, status = d.Status.ToCode(), reason = d.RejectionReason, incomeMonths = months }, orgPath));
        await audit.Copy(conn, actor, entries, now, ct);
        var view = (await Read(conn, tx, id, lockRow: false, ct))!.Value.View;
        await tx.CommitAsync(ct);
        return view;
    }

    private async Task<Outcome<Done>> MayDecide(string memberNo, long memberId, Actor actor, Decider who, CancellationToken ct)
    {
        if (who == Decider.Member)
        {
            return actor.MemberId == memberId ? Done.Value : Refusal.Forbidden;
        }
        if (actor.Role is not (Role.Treasurer or Role.Office or Role.Admin))
        {
            return Refusal.Forbidden;
        }
        var found = await lookup.Member(memberNo, actor, ct);
        if (!found.TryGet(out var member, out var refusal))
        {
            return refusal;
        }
        // Only the cell the member is in today (or its upper levels' offices) confirms what the member earns now.
        return member.Whole ? Done.Value : Refusal.Forbidden;
    }

    private sealed record WrittenMonth(string Period, object? Before);

    /// <summary>
    /// The declared figures become the member's income data: the declaration's month (created, or replacing what was
    /// there) and every later month already on file. Returns each month written with its figures before.
    /// </summary>
    private static async Task<List<WrittenMonth>> WriteIncome(NpgsqlConnection conn, NpgsqlTransaction tx, IncomeDeclaration d, DateTimeOffset now,
        CancellationToken ct)
    {
        var written = new List<WrittenMonth>();
        var existing = new HashSet<DateOnly>();
        await using (var read = new NpgsqlCommand("""
            select period, si_salary, si_benefit, pension, source from income_records where member_id = @member and period >= @from order by period for update
            """, conn, tx))
        {
            read.Parameters.AddWithValue("member", d.MemberId);
            read.Parameters.AddWithValue("from", d.From.FirstDay);
            await using var r = await read.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var period = r.GetFieldValue<DateOnly>(0);
                existing.Add(period);
                written.Add(new WrittenMonth(Period.Containing(period).ToString(),
                    new { siSalary = Long(r, 1), siBenefit = Long(r, 2), pension = Long(r, 3), source = r.GetString(4) }));
            }
        }
        if (!existing.Contains(d.From.FirstDay))
        {
            written.Insert(0, new WrittenMonth(d.From.ToString(), null));
        }
        await using var write = new NpgsqlCommand("""
            insert into income_records (province_id, member_id, period, si_salary, si_benefit, pension, source, updated_at)
            values ((select province_id from members where id = @member), @member, @from, @salary, @benefit, @pension, @source, @now)
            on conflict (member_id, period, province_id) do update
              set si_salary = excluded.si_salary, si_benefit = excluded.si_benefit, pension = excluded.pension, source = excluded.source, updated_at = excluded.updated_at;
            update income_records set si_salary = @salary, si_benefit = @benefit, pension = @pension, source = @source, updated_at = @now
            where member_id = @member and period > @from;
            """, conn, tx);
        write.Parameters.AddWithValue("member", d.MemberId);
        write.Parameters.AddWithValue("from", d.From.FirstDay);
        write.Parameters.AddWithValue("salary", NpgsqlTypes.NpgsqlDbType.Bigint, Db(d.SiSalary));
        write.Parameters.AddWithValue("benefit", NpgsqlTypes.NpgsqlDbType.Bigint, Db(d.SiBenefit));
        write.Parameters.AddWithValue("pension", NpgsqlTypes.NpgsqlDbType.Bigint, Db(d.Pension));
        write.Parameters.AddWithValue("source", d.Source);
        write.Parameters.AddWithValue("now", now);
        await write.ExecuteNonQueryAsync(ct);
        return written;
    }

    private static async Task<(IncomeDeclarationView View, IncomeDeclaration Declaration)?> Read(NpgsqlConnection conn, NpgsqlTransaction tx, long id,
        bool lockRow, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select {Columns} from income_declarations d join members m on m.id = d.member_id where d.id = @id {(lockRow ? "for update of d" : "")}
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }
        var view = ToView(r);
        var declaration = IncomeDeclaration.Restore(id, r.GetInt64(14), Period.Parse(view.From), Vnd(view.SiSalary), Vnd(view.SiBenefit), Vnd(view.Pension),
            view.Note, IncomeDeclarationStatusCodes.Parse(view.Status), view.ProposedBy, view.ProposedAt, view.DecidedBy, view.DecidedAt, view.RejectionReason);
        return (view, declaration);
    }

    /// <summary>The path of the organization the member is in today (official first), for the audit's scope; null when none.</summary>
    private async Task<string?> MemberOrgPath(NpgsqlConnection conn, NpgsqlTransaction tx, long memberId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select o.path from member_placements p join orgs o on o.id = p.org_id
            where p.member_id = @member and p.valid_from <= @today and (p.valid_to is null or p.valid_to > @today)
            order by p.kind = 'temporary', p.valid_from desc limit 1
            """, conn, tx);
        cmd.Parameters.AddWithValue("member", memberId);
        cmd.Parameters.AddWithValue("today", VietnamTime.Today(clock));
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    private static IncomeDeclarationView ToView(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), Period.Containing(r.GetFieldValue<DateOnly>(3)).ToString(), Long(r, 4), Long(r, 5), Long(r, 6),
            r.IsDBNull(7) ? null : r.GetString(7), r.GetString(8), r.GetString(9), r.GetFieldValue<DateTimeOffset>(10),
            r.IsDBNull(11) ? null : r.GetString(11), r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12), r.IsDBNull(13) ? null : r.GetString(13));

    private static long? Long(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static Money? Vnd(long? dong) => dong is { } d ? Money.Vnd(d) : null;

    private static object Db(Money? amount) => amount is { } a ? a.Dong : DBNull.Value;

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}

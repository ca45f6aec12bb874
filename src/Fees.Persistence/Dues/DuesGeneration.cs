using System.Globalization;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Outcomes;
using Fees.Domain.Rules;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Npgsql;
using NpgsqlTypes;

namespace Fees.Persistence.Dues;

/// <summary>Counts of one generation run (contract: period, created, existing, exempt).</summary>
public sealed record GenerationResult(string Period, int Created, int Existing, int Exempt, int AwaitingData, int Completed);

/// <summary>
/// Creates the dues statements of a period: one per member placed (on the period's first day) in an organization
/// inside the actor's scope, at that organization. Members are read in chunks by id; each chunk's quotes are
/// computed with the domain's <see cref="FeeCalculator"/> and written with binary COPY and one INSERT … ON CONFLICT
/// DO NOTHING, so the unique (member, period) key makes two racing runs create each statement once. Statements
/// waiting for income data are completed by a later run once the data is there (FR-13). Every status written comes
/// from <see cref="DuesStatementLifecycle"/> (initial status of a quote, or the data-arrived move), never a literal.
/// Income is the month before the period's: the figures on file for that month, or, when none were imported for it, the
/// latest figures the member declared and the cell confirmed for a month before it (a declaration holds "from a month
/// on"); a statement built on declared figures says so in its explanation and names the declaration in its inputs.
/// </summary>
public sealed class DuesGeneration(NpgsqlDataSource dataSource, AuditWriter audit, TimeProvider clock)
{
    public const int ChunkSize = 50_000;

    /// <summary>How long a caller waits before asking again when another run of the same period holds the lock.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public async Task<Outcome<GenerationResult>> Generate(Period period, Actor actor, CancellationToken ct)
    {
        if (period < Period.FirstOnSystem)
        {
            return Refusal.Rule("before_system_start",
                $"Kỳ {period} trước kỳ tháng 8/2026: các kỳ trước tháng 8/2026 tiếp tục thu theo phương thức hiện hành, không đóng bù, truy thu trên hệ thống.");
        }
        var current = VietnamTime.CurrentPeriod(clock);
        if (period > current)
        {
            return Refusal.Rule("future_period", $"Kỳ {period} chưa đến (kỳ hiện tại là {current}).");
        }

        var now = clock.GetUtcNow();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // One run of a period at a time; the others are told to come back rather than queue behind a long run
        // (the unique key would keep them correct anyway).
        if (!await TryLock(conn, period, ct))
        {
            return Refusal.Conflict("generation_in_progress", $"Kỳ {period} đang được lập bởi một yêu cầu khác. Vui lòng thử lại sau ít giây.",
                new Dictionary<string, object?> { ["retryAfterSeconds"] = (int)RetryAfter.TotalSeconds });
        }
        await Exec(conn, """
            create temp table gen_statements (
              member_id bigint not null, org_id bigint not null, amount bigint not null, status text not null,
              rule_id text not null, explanation text not null, applied text[] not null, inputs jsonb not null,
              existing_id bigint) on commit drop
            """, ct);

        int created = 0, exempt = 0, awaiting = 0, completed = 0, placed = 0;
        long after = 0;
        while (true)
        {
            var chunk = await ReadChunk(conn, period, actor.ScopePrefix, after, ct);
            if (chunk.PlacedCount == 0)
            {
                break;
            }
            placed += chunk.PlacedCount;
            after = chunk.LastMemberId;
            if (chunk.Rows.Count > 0)
            {
                await WriteQuotes(conn, chunk.Rows, ct);
                var (c, e, a, done) = await Merge(conn, period, now, ct);
                created += c;
                exempt += e;
                awaiting += a;
                completed += done;
                await Exec(conn, "truncate gen_statements", ct);
            }
            if (chunk.PlacedCount < ChunkSize)
            {
                break;
            }
        }

        var result = new GenerationResult(period.ToString(), created, placed - created, exempt, awaiting, completed);
        await audit.Copy(conn, actor, [AuditEntry.Of("dues.generate", "period", period.ToString(), null, result, actor.IsAdmin ? null : actor.ScopePath)], now, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    private static async Task<bool> TryLock(NpgsqlConnection conn, Period period, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select pg_try_advisory_xact_lock(hashtext('fees.dues.generate'), @p)", conn);
        cmd.Parameters.AddWithValue("p", (period.Year * 100) + period.Month);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private sealed record InputRow(long MemberId, long OrgId, FeeInput Input, long? ExistingId, DeclaredIncome? Declared);

    /// <summary>The income figures came from a confirmed declaration (<c>declared:{id}</c>) for <see cref="Month"/>.</summary>
    private sealed record DeclaredIncome(string Source, long DeclarationId, Period Month);

    private sealed record Chunk(List<InputRow> Rows, int PlacedCount, long LastMemberId);

    /// <summary>
    /// The next members (by id) placed in scope on the period's first day, with everything a quote needs. Members
    /// who already have a final statement for the period are counted but not re-quoted; a cancelled statement (issued by
    /// mistake) counts as none, so the run issues what the data says now.
    /// </summary>
    private static async Task<Chunk> ReadChunk(NpgsqlConnection conn, Period period, string scope, long after, CancellationToken ct)
    {
        const string sql = """
            with page as (
              select pl.member_id, pl.org_id from dues_placements_on(@d) pl join orgs o on o.id = pl.org_id
              where pl.member_id > @after and starts_with(o.path, @scope)
              order by pl.member_id limit @limit
            )
            select m.id, pg.org_id, m.status, m.category, m.birth_date, m.sex, m.party_joined_on, o.wage_region,
                   case when i.member_id is not null then i.si_salary else il.si_salary end,
                   case when i.member_id is not null then i.si_benefit else il.si_benefit end,
                   case when i.member_id is not null then i.pension else il.pension end,
                   d.reason, d.reduction_percent, d.decided_by, d.document_ref, d.valid_from, d.valid_to, d.note,
                   v.amount, s.id, s.status,
                   coalesce(i.source, il.source), coalesce(i.period, il.period)
            from page pg
            join members m on m.id = pg.member_id
            join orgs o on o.id = pg.org_id
            left join income_records i on i.member_id = m.id and i.period = @prev
            -- Nothing on file for the month: the latest earlier month, if the member declared it (declared figures hold
            -- from their month on; imported ones are for their month only, and a missing month waits for data: FR-13).
            left join lateral (
              select r.si_salary, r.si_benefit, r.pension, r.source, r.period from income_records r
              where i.member_id is null and r.member_id = m.id and r.period < @prev
              order by r.period desc limit 1) il on il.source <> @import
            left join lateral (
              select * from fee_decisions d where d.member_id = m.id and d.valid_from <= @d and d.valid_to >= @d
              order by d.recorded_at desc limit 1) d on true
            left join lateral (
              select amount from voluntary_amounts v where v.member_id = m.id and v.valid_from <= @d and (v.valid_to is null or v.valid_to >= @d)
              order by v.recorded_at desc limit 1) v on true
            left join dues_statements s on s.member_id = m.id and s.period = @d and s.status <> @transferred and s.status <> @cancelled
            order by m.id
            """;
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("d", period.FirstDay);
        cmd.Parameters.AddWithValue("prev", period.Previous.FirstDay);
        cmd.Parameters.AddWithValue("after", after);
        cmd.Parameters.AddWithValue("scope", scope);
        cmd.Parameters.AddWithValue("limit", ChunkSize);
        cmd.Parameters.AddWithValue("transferred", DuesStatementStatus.Transferred.ToCode());
        cmd.Parameters.AddWithValue("import", IncomeRecord.ImportSource);
        cmd.Parameters.AddWithValue("cancelled", DuesStatementStatus.Cancelled.ToCode());
        var rows = new List<InputRow>();
        int count = 0;
        long last = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            count++;
            last = r.GetInt64(0);
            long? existingId = r.IsDBNull(19) ? null : r.GetInt64(19);
            if (existingId is not null && (!DuesStatementStatusCodes.TryParse(r.GetString(20), out var existing) || existing != DuesStatementStatus.AwaitingData))
            {
                continue; // final already: generating again changes nothing
            }
            MemberCodes.TryParseStatus(r.GetString(2), out var status);
            MemberCodes.TryParseCategory(r.GetString(3), out var category);
            MemberCodes.TryParseSex(r.GetString(5), out var sex);
            FeeDecision? decision = null;
            if (!r.IsDBNull(11))
            {
                decision = FeeDecision.Create(Enum.Parse<ReliefReason>(r.GetString(11)), r.GetInt32(12), r.GetString(13), r.GetString(14),
                    Period.Containing(r.GetFieldValue<DateOnly>(15)), Period.Containing(r.GetFieldValue<DateOnly>(16)), r.IsDBNull(17) ? null : r.GetString(17));
            }
            var input = new FeeInput
            {
                Period = period,
                Category = category,
                Status = status,
                BirthDate = r.GetFieldValue<DateOnly>(4),
                Sex = sex,
                PartyJoinedOn = r.GetFieldValue<DateOnly>(6),
                WageRegion = (WageRegion)r.GetInt16(7),
                SiSalary = r.IsDBNull(8) ? null : Money.Vnd(r.GetInt64(8)),
                SiBenefit = r.IsDBNull(9) ? null : Money.Vnd(r.GetInt64(9)),
                Pension = r.IsDBNull(10) ? null : Money.Vnd(r.GetInt64(10)),
                Decision = decision,
                VoluntaryAmount = r.IsDBNull(18) ? null : Money.Vnd(r.GetInt64(18)),
            };
            DeclaredIncome? declared = null;
            if (!r.IsDBNull(21) && r.GetString(21) is { } source && source != IncomeRecord.ImportSource)
            {
                declared = new DeclaredIncome(source, long.Parse(source.AsSpan("declared:".Length), CultureInfo.InvariantCulture),
                    Period.Containing(r.GetFieldValue<DateOnly>(22)));
            }
            rows.Add(new InputRow(r.GetInt64(0), r.GetInt64(1), input, existingId, declared));
        }
        return new Chunk(rows, count, last);
    }

    private static async Task WriteQuotes(NpgsqlConnection conn, List<InputRow> rows, CancellationToken ct)
    {
        await using var copy = await conn.BeginBinaryImportAsync(
            "copy gen_statements (member_id, org_id, amount, status, rule_id, explanation, applied, inputs, existing_id) from stdin (format binary)", ct);
        foreach (var row in rows)
        {
            var quote = FeeCalculator.Quote(row.Input, FeeRuleBook.Default);
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(row.MemberId, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(row.OrgId, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(quote.Amount.Dong, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(StatusFor(quote, row.ExistingId is not null).ToCode(), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(quote.RuleId, NpgsqlDbType.Text, ct);
            bool usesDeclared = row.Declared is not null && quote.AppliedRuleIds.Any(IncomeRules.Contains);
            await copy.WriteAsync(usesDeclared ? quote.Explanation + " " + DeclaredNote(row.Declared!, row.Input.Period) : quote.Explanation, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(quote.AppliedRuleIds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
            await copy.WriteAsync(usesDeclared ? WithIncomeSource(StatementInputs.ToJson(row.Input), row.Declared!) : StatementInputs.ToJson(row.Input),
                NpgsqlDbType.Jsonb, ct);
            if (row.ExistingId is { } id)
            {
                await copy.WriteAsync(id, NpgsqlDbType.Bigint, ct);
            }
            else
            {
                await copy.WriteNullAsync(ct);
            }
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>The rules that read the member's income (the only ones declared figures can change).</summary>
    private static readonly string[] IncomeRules = [RuleIds.SiSalary, RuleIds.SiBenefit, RuleIds.Pension];

    /// <summary>What a statement built on declared figures adds to its explanation, in Vietnamese.</summary>
    private static string DeclaredNote(DeclaredIncome declared, Period period) =>
        declared.Month == period.Previous
            ? $"Thu nhập {declared.Month.ToDisplayString()} theo kê khai của đảng viên (bản kê khai số {declared.DeclarationId}), đã được chi ủy xác nhận."
            : $"Thu nhập theo kê khai của đảng viên áp dụng từ {declared.Month.ToDisplayString()} (bản kê khai số {declared.DeclarationId}), đã được chi ủy xác nhận.";

    /// <summary>The stored inputs, naming where the income came from and for which month (ignored when re-deriving the amount).</summary>
    private static string WithIncomeSource(string inputsJson, DeclaredIncome declared)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(inputsJson)!.AsObject();
        json["incomeSource"] = declared.Source;
        json["incomeMonth"] = declared.Month.ToString();
        return json.ToJsonString();
    }

    /// <summary>
    /// The status the lifecycle gives: a new statement's initial status, or, for one awaiting data, where the data's
    /// arrival takes it (still awaiting when the quote still lacks data: nothing changes).
    /// </summary>
    private static DuesStatementStatus StatusFor(FeeQuote quote, bool awaitingAlready)
    {
        if (!awaitingAlready || quote.Outcome == FeeOutcome.AwaitingData)
        {
            return DuesStatementLifecycle.InitialStatus(quote);
        }
        var lifecycle = new DuesStatementLifecycle(DuesStatementStatus.AwaitingData);
        lifecycle.DataArrived(quote);
        return lifecycle.Status;
    }

    private static async Task<(int Created, int Exempt, int Awaiting, int Completed)> Merge(NpgsqlConnection conn, Period period, DateTimeOffset now, CancellationToken ct)
    {
        int created = 0, exempt = 0, awaiting = 0, completed = 0;
        await using (var insert = new NpgsqlCommand("""
            insert into dues_statements (province_id, member_id, period, org_id, amount, paid, status, rule_id, explanation, applied_rule_ids, inputs, created_at, updated_at)
            select o.province_id, g.member_id, @d, g.org_id, g.amount, 0, g.status, g.rule_id, g.explanation, g.applied, g.inputs, @now, @now
            from gen_statements g join orgs o on o.id = g.org_id where g.existing_id is null
            on conflict (member_id, period, province_id) where status <> 'transferred' and status <> 'cancelled' do nothing
            returning status
            """, conn))
        {
            insert.Parameters.AddWithValue("d", period.FirstDay);
            insert.Parameters.AddWithValue("now", now);
            await using var r = await insert.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                created++;
                DuesStatementStatusCodes.TryParse(r.GetString(0), out var status);
                exempt += status == DuesStatementStatus.Exempt ? 1 : 0;
                awaiting += status == DuesStatementStatus.AwaitingData ? 1 : 0;
            }
        }
        // Awaiting data → where the data's arrival takes it (computed above by the lifecycle; the database re-checks the move).
        await using (var complete = new NpgsqlCommand("""
            update dues_statements s
            set amount = g.amount, status = g.status, rule_id = g.rule_id, explanation = g.explanation,
                applied_rule_ids = g.applied, inputs = g.inputs, updated_at = @now
            from gen_statements g
            where g.existing_id = s.id and s.status = @awaiting and g.status <> @awaiting
            """, conn))
        {
            complete.Parameters.AddWithValue("now", now);
            complete.Parameters.AddWithValue("awaiting", DuesStatementStatus.AwaitingData.ToCode());
            completed = await complete.ExecuteNonQueryAsync(ct);
        }
        return (created, exempt, awaiting, completed);
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

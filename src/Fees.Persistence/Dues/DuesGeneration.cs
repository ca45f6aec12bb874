using System.Globalization;
using System.Threading.Channels;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Outcomes;
using Fees.Domain.Rules;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Fees.Persistence.Database;
using Npgsql;
using NpgsqlTypes;

namespace Fees.Persistence.Dues;

/// <summary>Counts of one generation run (contract: period, created, existing, exempt).</summary>
public sealed record GenerationResult(string Period, int Created, int Existing, int Exempt, int AwaitingData, int Completed);

/// <summary>
/// Creates the dues statements of a period: one per member placed (on the period's first day) in an organization
/// inside the actor's scope, at that organization. One pass, linear in the members: a single set-based query selects
/// every placed member who still needs a quote (no statement for the period yet, or one awaiting income data) with
/// everything the quote needs, in member order, read through one server-side cursor in batches of
/// <see cref="FetchSize"/> (memory stays flat); each batch's quotes are computed with the domain's
/// <see cref="FeeCalculator"/> and handed to two other connections, which write them while the first fetches and
/// quotes the next batches: a binary COPY into a staging table, one INSERT … ON CONFLICT DO NOTHING (the unique (member, period)
/// key makes two racing writers create each statement once) and one UPDATE completing those that were awaiting data,
/// committed batch by batch. The first connection's transaction holds the period's lock from the first read to the
/// run's audit record, so one run of a period writes at a time; a run that fails part-way leaves the batches it
/// committed, each a set of whole, valid statements, and the next run of the period creates the rest (what exists is
/// counted, not created again). Why more connections: the database's inserts and the service's quoting of the
/// next batches then use both cores, where one connection did one thing at a time (docs/performance.md).
/// Members whose statement is already final are counted, not read: a second run of a period reads almost nothing.
/// Statements waiting for income data are completed by a later run once the data is there (FR-13). Every status written
/// comes from <see cref="DuesStatementLifecycle"/> (initial status of a quote, or the data-arrived move), never a literal.
/// Income is the month before the period's: the figures on file for that month, or, when none were imported for it, the
/// latest figures the member declared and the cell confirmed for a month before it (a declaration holds "from a month
/// on"); a statement built on declared figures says so in its explanation and names the declaration in its inputs.
/// Every command carries the bulk timeout (<see cref="BulkCommands"/>): a national run is longer than Npgsql's default.
/// </summary>
public sealed class DuesGeneration(NpgsqlDataSource dataSource, AuditWriter audit, TimeProvider clock)
{
    /// <summary>Rows fetched from the cursor (and quoted and written) at a time. A run holds a few such batches: two
    /// lists of input rows (one being fetched, one being quoted) and up to five quoted (one handed over,
    /// <see cref="Writers"/> waiting, <see cref="Writers"/> being written).</summary>
    public const int FetchSize = 20_000;

    /// <summary>Rows per batch: <see cref="FetchSize"/>; tests set fewer to run many batches on a small province.</summary>
    internal int BatchSize { get; init; } = FetchSize;

    /// <summary>
    /// Connections writing quoted batches at once. One writer was the run's bottleneck (the reader waited 11 of 18 s to
    /// hand over); two keep both cores busy (docs/performance.md).
    /// </summary>
    public const int Writers = 2;

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
        // The period's partitions must exist before its first statement (there is no DEFAULT partition): created here,
        // in a short transaction of their own, so concurrent runs of a new month queue only on that (PeriodPartitions).
        await PeriodPartitions.Ensure(conn, period, ct);
        // Its inputs analyzed if an import has just changed them (a nested loop over unanalyzed placements and
        // organizations is quadratic): outside the run's transaction, so its ANALYZE locks are not held for the run.
        await PartitionStatistics.RefreshGenerationInputs(conn, ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // One run of a period at a time; the others are told to come back rather than queue behind a long run
        // (the unique key would keep them correct anyway).
        if (!await TryLock(conn, period, ct))
        {
            return Refusal.Conflict("generation_in_progress", $"Kỳ {period} đang được lập bởi một yêu cầu khác. Vui lòng thử lại sau ít giây.",
                new Dictionary<string, object?> { ["retryAfterSeconds"] = (int)RetryAfter.TotalSeconds });
        }
        // The cursor is read to its end: plan it for all its rows (hash joins), not for its first 10% (nested loops).
        await Exec(conn, "select set_config('cursor_tuple_fraction', '1', true)", ct);

        int placed = await CountPlaced(conn, period, actor.ScopePrefix, ct);
        await OpenCursor(conn, period, actor.ScopePrefix, ct);
        var progress = new WriteProgress();
        WriteTotals totals;
        try
        {
            totals = await FetchQuoteAndWrite(conn, period, now, progress, ct);
        }
        catch (Exception e)
        {
            // The batches committed before the failure are statements in the books: the audit log says who created
            // them and that the run stopped, on a connection of its own (this one's transaction is lost).
            var done = progress.Totals;
            if (done.Created + done.Completed > 0)
            {
                var partial = new GenerationResult(period.ToString(), done.Created, placed - done.Created, done.Exempt, done.Awaiting, done.Completed);
                await using var own = await dataSource.OpenConnectionAsync(CancellationToken.None);
                await audit.Copy(own, actor, [AuditEntry.Of("dues.generate.stopped", "period", period.ToString(), null,
                    new { partial.Period, partial.Created, partial.Existing, partial.Exempt, partial.AwaitingData, partial.Completed, Error = e.GetType().Name },
                    actor.IsAdmin ? null : actor.ScopePath)], now, CancellationToken.None);
                await PartitionStatistics.Refresh(own, period, CancellationToken.None);
            }
            throw;
        }

        var result = new GenerationResult(period.ToString(), totals.Created, placed - totals.Created, totals.Exempt, totals.Awaiting, totals.Completed);
        await audit.Copy(conn, actor, [AuditEntry.Of("dues.generate", "period", period.ToString(), null, result, actor.IsAdmin ? null : actor.ScopePath)], now, ct);
        await tx.CommitAsync(ct);
        // The month's statements partition may have gone from empty to millions of rows in this run: plans made
        // before autovacuum looks at it again would believe it empty (PartitionStatistics; a month that has not grown
        // since its last refresh costs a catalog read).
        await PartitionStatistics.Refresh(conn, period, ct);
        return result;
    }

    /// <summary>What the writers have committed so far (read when a run stops part-way), and whether the month's
    /// statistics were refreshed after its first batch.</summary>
    private sealed class WriteProgress
    {
        private WriteTotals totals;
        private int refreshed;

        public WriteTotals Totals
        {
            get
            {
                lock (this)
                {
                    return totals;
                }
            }
        }

        public void Committed(WriteTotals batch)
        {
            lock (this)
            {
                totals = totals.Add(batch);
            }
        }

        /// <summary>True once, for the first batch committed: its writer refreshes the month's statistics.</summary>
        public bool FirstCommit() => Interlocked.Exchange(ref refreshed, 1) == 0;
    }

    /// <summary>What the batches written so far created, exempted, left awaiting data and completed.</summary>
    private readonly record struct WriteTotals(int Created, int Exempt, int Awaiting, int Completed)
    {
        public WriteTotals Add(WriteTotals o) => new(Created + o.Created, Exempt + o.Exempt, Awaiting + o.Awaiting, Completed + o.Completed);
    }

    /// <summary>
    /// Reads the open cursor to its end and writes its quotes, batch by batch, on <see cref="Writers"/> other connections:
    /// while batches are written there, the next is fetched (and quoted on the thread pool) here. At most
    /// <see cref="Writers"/> quoted batches wait between the two sides, so memory stays at a few batches. A failure on
    /// either side stops both.
    /// </summary>
    private async Task<WriteTotals> FetchQuoteAndWrite(NpgsqlConnection conn, Period period, DateTimeOffset now, WriteProgress progress, CancellationToken ct)
    {
        var quoted = Channel.CreateBounded<StagedQuote[]>(new BoundedChannelOptions(Writers) { SingleReader = false, SingleWriter = true });
        var writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            try
            {
                await using var writer = await dataSource.OpenConnectionAsync(ct);
                var totals = default(WriteTotals);
                await foreach (var batch in quoted.Reader.ReadAllAsync(ct))
                {
                    var written = await WriteBatch(writer, period, now, batch, ct);
                    totals = totals.Add(written);
                    progress.Committed(written);
                    if (written.Created > 0 && progress.FirstCommit())
                    {
                        // The month is readable from its first batch on: plans made from now on should know it is not
                        // empty (a run of the nation lasts minutes; see PartitionStatistics).
                        await PartitionStatistics.Refresh(writer, period, ct);
                    }
                }
                return totals;
            }
            catch (Exception e)
            {
                // The reading side stops at its next hand-over; the other writer ends with the batches already handed over.
                quoted.Writer.TryComplete(e);
                throw;
            }
        }, ct)).ToList();
        var writing = Sum(writers);

        try
        {
            var batch = new List<InputRow>(BatchSize);
            var next = new List<InputRow>(BatchSize);
            await Fetch(conn, period, BatchSize, batch, ct);
            while (batch.Count > 0)
            {
                var rows = batch;
                var quoting = Task.Run(() => QuoteAll(rows), ct);
                try
                {
                    await Fetch(conn, period, BatchSize, next, ct);
                }
                finally
                {
                    await quoting.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
                await quoted.Writer.WriteAsync(await quoting, ct);
                (batch, next) = (next, batch);
            }
            quoted.Writer.TryComplete();
        }
        catch (Exception e)
        {
            quoted.Writer.TryComplete(e);
            if (e is ChannelClosedException)
            {
                return await writing; // the writer failed and closed the hand-over: its failure is the one to report
            }
            try
            {
                await writing; // the writer stops on this side's failure; its connection is closed before this one's
            }
            catch (Exception)
            {
                // The writers failed because this side did (the hand-over was completed with its failure): that one is reported.
            }
            throw;
        }
        return await writing;
    }

    private static async Task<bool> TryLock(NpgsqlConnection conn, Period period, CancellationToken ct)
    {
        await using var cmd = BulkCommands.Command("select pg_try_advisory_xact_lock(hashtext('fees.dues.generate'), @p)", conn);
        cmd.Parameters.AddWithValue("p", (period.Year * 100) + period.Month);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private sealed record InputRow(long MemberId, long OrgId, FeeInput Input, long? ExistingId, DeclaredIncome? Declared);

    /// <summary>The income figures came from a confirmed declaration (<c>declared:{id}</c>) for <see cref="Month"/>.</summary>
    private sealed record DeclaredIncome(string Source, long DeclarationId, Period Month);

    /// <summary>The members placed in scope on the period's first day (each gets, or already has, the period's statement).</summary>
    private static async Task<int> CountPlaced(NpgsqlConnection conn, Period period, string scope, CancellationToken ct)
    {
        await using var cmd = BulkCommands.Command("""
            select count(*)::int from dues_placements_on(@d) pl join orgs o on o.id = pl.org_id
            where starts_with(o.path, @scope)
            """, conn);
        cmd.Parameters.AddWithValue("d", period.FirstDay);
        cmd.Parameters.AddWithValue("scope", scope);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Opens the cursor over the members placed in scope on the period's first day who still need a quote, with
    /// everything a quote needs. Members who already have a final statement for the period are left out (they were
    /// counted); a cancelled statement (issued by mistake) counts as none, so the run issues what the data says now.
    /// The statement's organization (and, once tables carry it, its province) is the member's placement on that day.
    /// </summary>
    private static async Task OpenCursor(NpgsqlConnection conn, Period period, string scope, CancellationToken ct)
    {
        const string sql = """
            declare gen_members no scroll cursor for
            select m.id, pl.org_id, m.status, m.category, m.birth_date, m.sex, m.party_joined_on, o.wage_region,
                   case when i.member_id is not null then i.si_salary else il.si_salary end,
                   case when i.member_id is not null then i.si_benefit else il.si_benefit end,
                   case when i.member_id is not null then i.pension else il.pension end,
                   d.reason, d.reduction_percent, d.decided_by, d.document_ref, d.valid_from, d.valid_to, d.note,
                   v.amount, s.id, s.status,
                   coalesce(i.source, il.source), coalesce(i.period, il.period)
            from dues_placements_on(@d) pl
            join orgs o on o.id = pl.org_id
            join members m on m.id = pl.member_id
            left join dues_statements s on s.member_id = pl.member_id and s.period = @d and s.status <> @transferred and s.status <> @cancelled
            left join income_records i on i.member_id = pl.member_id and i.period = @prev
            -- Nothing on file for the month: the latest earlier month, if the member declared it (declared figures hold
            -- from their month on; imported ones are for their month only, and a missing month waits for data: FR-13).
            left join lateral (
              select r.si_salary, r.si_benefit, r.pension, r.source, r.period from income_records r
              where i.member_id is null and r.member_id = pl.member_id and r.period < @prev
              order by r.period desc limit 1) il on il.source <> @import
            -- The decision and the voluntary amount in force on the day: the latest recorded of each member's.
            left join (
              select distinct on (fd.member_id) fd.* from fee_decisions fd
              where fd.valid_from <= @d and fd.valid_to >= @d
              order by fd.member_id, fd.recorded_at desc) d on d.member_id = pl.member_id
            left join (
              select distinct on (va.member_id) va.member_id, va.amount from voluntary_amounts va
              where va.valid_from <= @d and (va.valid_to is null or va.valid_to >= @d)
              order by va.member_id, va.recorded_at desc) v on v.member_id = pl.member_id
            where starts_with(o.path, @scope) and (s.id is null or s.status = @awaiting)
            -- In member order, so that each batch's insert appends to the member-keyed indexes instead of descending to
            -- a random leaf per row (docs/performance.md: 10.8–13.2 s for a month at scale 0.1 unsorted, 6.2 s sorted).
            order by pl.member_id
            """;
        await using var cmd = BulkCommands.Command(sql, conn);
        cmd.Parameters.AddWithValue("d", period.FirstDay);
        cmd.Parameters.AddWithValue("prev", period.Previous.FirstDay);
        cmd.Parameters.AddWithValue("scope", scope);
        cmd.Parameters.AddWithValue("transferred", DuesStatementStatus.Transferred.ToCode());
        cmd.Parameters.AddWithValue("cancelled", DuesStatementStatus.Cancelled.ToCode());
        cmd.Parameters.AddWithValue("awaiting", DuesStatementStatus.AwaitingData.ToCode());
        cmd.Parameters.AddWithValue("import", IncomeRecord.ImportSource);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The cursor's next rows into <paramref name="batch"/> (cleared first); 0 at the end.</summary>
    private static async Task<int> Fetch(NpgsqlConnection conn, Period period, int batchSize, List<InputRow> batch, CancellationToken ct)
    {
        batch.Clear();
        await using var cmd = BulkCommands.Command(string.Create(CultureInfo.InvariantCulture, $"fetch forward {batchSize} from gen_members"), conn);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            long? existingId = r.IsDBNull(19) ? null : r.GetInt64(19);
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
            batch.Add(new InputRow(r.GetInt64(0), r.GetInt64(1), input, existingId, declared));
        }
        return batch.Count;
    }

    /// <summary>One staged statement: the quote of one member, as the COPY writes it.</summary>
    private readonly record struct StagedQuote(long MemberId, long OrgId, long Amount, string Status, string RuleId, string Explanation,
        string[] Applied, string Inputs, long? ExistingId);

    /// <summary>Quotes a batch with the domain's fee rules (pure CPU work: run while the connection fetches the next batch).</summary>
    private static StagedQuote[] QuoteAll(List<InputRow> rows)
    {
        var staged = new StagedQuote[rows.Count];
        Parallel.For(0, rows.Count, i =>
        {
            var row = rows[i];
            var quote = FeeCalculator.Quote(row.Input, FeeRuleBook.Default);
            bool usesDeclared = row.Declared is not null && quote.AppliedRuleIds.Any(IncomeRules.Contains);
            staged[i] = new StagedQuote(row.MemberId, row.OrgId, quote.Amount.Dong, StatusFor(quote, row.ExistingId is not null).ToCode(), quote.RuleId,
                usesDeclared ? quote.Explanation + " " + DeclaredNote(row.Declared!, row.Input.Period) : quote.Explanation,
                quote.AppliedRuleIds.ToArray(),
                usesDeclared ? WithIncomeSource(StatementInputs.ToJson(row.Input), row.Declared!) : StatementInputs.ToJson(row.Input),
                row.ExistingId);
        });
        return staged;
    }

    private static async Task<WriteTotals> Sum(List<Task<WriteTotals>> writers)
    {
        var totals = default(WriteTotals);
        foreach (var t in await Task.WhenAll(writers))
        {
            totals = totals.Add(t);
        }
        return totals;
    }

    /// <summary>
    /// One batch of quotes in one transaction of a writing connection: COPYed into a staging table (dropped at commit),
    /// then inserted and completed with one statement each (<see cref="Merge"/>).
    /// </summary>
    private static async Task<WriteTotals> WriteBatch(NpgsqlConnection conn, Period period, DateTimeOffset now, StagedQuote[] rows, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The reading connection holds ACCESS SHARE on the month's tables for the whole run and waits for these writers;
        // a DDL statement queued between them would make each wait for the other where PostgreSQL cannot see it (the
        // wait goes through this process). A writer that cannot get its lock in a few seconds fails the run instead.
        await Exec(conn, "select set_config('lock_timeout', '5s', true)", ct);
        await Exec(conn, """
            create temp table gen_statements (
              member_id bigint not null, org_id bigint not null, amount bigint not null, status text not null,
              rule_id text not null, explanation text not null, applied text[] not null, inputs jsonb not null,
              existing_id bigint) on commit drop
            """, ct);
        await using (var copy = await BulkCommands.BeginCopy(conn,
            "copy gen_statements (member_id, org_id, amount, status, rule_id, explanation, applied, inputs, existing_id) from stdin (format binary)", ct))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(row.MemberId, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(row.OrgId, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(row.Amount, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(row.Status, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(row.RuleId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(row.Explanation, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(row.Applied, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await copy.WriteAsync(row.Inputs, NpgsqlDbType.Jsonb, ct);
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
        var totals = await Merge(conn, period, now, Array.Exists(rows, r => r.ExistingId is not null), ct);
        await tx.CommitAsync(ct);
        return totals;
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

    private static async Task<WriteTotals> Merge(NpgsqlConnection conn, Period period, DateTimeOffset now, bool anyAwaitingBefore, CancellationToken ct)
    {
        int created, exempt, awaiting, completed = 0;
        // The new statements' statuses are counted in the database (a national run would otherwise send back millions of rows).
        await using (var insert = BulkCommands.Command("""
            with inserted as (
              insert into dues_statements (province_id, member_id, period, org_id, amount, paid, status, rule_id, explanation, applied_rule_ids, inputs, created_at, updated_at)
              select o.province_id, g.member_id, @d, g.org_id, g.amount, 0, g.status, g.rule_id, g.explanation, g.applied, g.inputs, @now, @now
              from gen_statements g join orgs o on o.id = g.org_id where g.existing_id is null
              -- In member order (the cursor's, kept here at the cost of a batch's sort in memory): inserted in the
              -- order of a hash join, every entry of the member-keyed indexes (and the conflict check) was a descent to
              -- a random leaf; sorted, they append (docs/performance.md).
              order by g.member_id
              on conflict (member_id, period, province_id) where status <> 'transferred' and status <> 'cancelled' do nothing
              returning status)
            select count(*)::int, (count(*) filter (where status = @exempt))::int, (count(*) filter (where status = @awaiting))::int from inserted
            """, conn))
        {
            insert.Parameters.AddWithValue("d", period.FirstDay);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("exempt", DuesStatementStatus.Exempt.ToCode());
            insert.Parameters.AddWithValue("awaiting", DuesStatementStatus.AwaitingData.ToCode());
            await using var r = await insert.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            (created, exempt, awaiting) = (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2));
        }
        if (!anyAwaitingBefore)
        {
            return new WriteTotals(created, exempt, awaiting, completed);
        }
        // Awaiting data → where the data's arrival takes it (computed above by the lifecycle; the database re-checks the move).
        await using (var complete = BulkCommands.Command("""
            update dues_statements s
            set amount = g.amount, status = g.status, rule_id = g.rule_id, explanation = g.explanation,
                applied_rule_ids = g.applied, inputs = g.inputs, updated_at = @now
            from gen_statements g
            where g.existing_id = s.id and s.period = @d and s.status = @awaiting and g.status <> @awaiting
            """, conn))
        {
            complete.Parameters.AddWithValue("d", period.FirstDay);
            complete.Parameters.AddWithValue("now", now);
            complete.Parameters.AddWithValue("awaiting", DuesStatementStatus.AwaitingData.ToCode());
            completed = await complete.ExecuteNonQueryAsync(ct);
        }
        return new WriteTotals(created, exempt, awaiting, completed);
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = BulkCommands.Command(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

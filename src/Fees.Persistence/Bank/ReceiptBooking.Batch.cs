using System.Globalization;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Ledger;
using Fees.Domain.Matching;
using Fees.Domain.Payments;
using Fees.Domain.Receipts;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Fees.Persistence.Ledger;
using Fees.Persistence.Receipts;
using Npgsql;

namespace Fees.Persistence.Bank;

public sealed partial class ReceiptBooking
{
    /// <summary>
    /// Books a batch of stored bank transactions inside the caller's transaction, with the same rules and the same
    /// result as <see cref="Book"/> called for each in inbox-id order (same receipts, statuses, allocations, statement
    /// states, requests settled, ledger entries and lines, biên lai numbers, audit records), but with a fixed number of
    /// set-based statements whatever the batch size: the rows are locked (skipping those another booking holds, so
    /// concurrent batches share the work and none is booked twice), the receiving organizations, the references'
    /// owners and the outstanding statements are read with one query each (statements locked in member, period, id
    /// order, the same order in every batch), matching and oldest-first allocation run in memory over that state (a
    /// later transfer of the same member sees what an earlier one paid), and then receipts, allocations, statement
    /// updates, request settlements, every journal entry (<c>LedgerStore.PostBatch</c>: one statement, idempotent
    /// on the source id), inbox states, biên lai and audit records are written with one statement each.
    /// Rows that are not <c>accepted</c> any more are left alone (a rerun books nothing).
    /// </summary>
    /// <returns>What became of each row this call booked, in inbox-id order.</returns>
    public async Task<IReadOnlyList<InboxOutcome>> BookBatch(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<long> inboxIds, Actor actor,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(inboxIds);
        ArgumentNullException.ThrowIfNull(actor);
        var rows = await LockBatch(conn, tx, inboxIds, ct);
        if (rows.Count == 0)
        {
            return [];
        }
        // Each line is booked in the month of its own booking day (see Book): all those months exist, or none is written.
        await partitions.Require(conn, tx, rows.Select(r => Period.Containing(VietnamTime.DateOf(r.Row.BookedAt))), ct);
        // A transfer carrying a remittance order's DR reference moves an order (paid or confirmed), not dues: those
        // few take the one-at-a-time path, in this same transaction (their rows are already locked by it).
        var remittanceRows = rows.Where(r => TransferContent.Parse(r.Row.Content).References.Any(f => f.Reference.Kind == PaymentReferenceKind.Remittance))
            .Select(r => r.Id).ToList();
        rows = rows.Where(r => !remittanceRows.Contains(r.Id)).ToList();
        var remitted = new List<InboxOutcome>();
        foreach (long id in remittanceRows)
        {
            remitted.Add(await Book(conn, tx, id, actor, ct));
        }
        var now = clock.GetUtcNow();
        var orgs = await ReceivingOrgs(conn, tx, rows.Where(r => !r.Row.Outgoing).ToList(), ct);

        // Read every reference, then their owners and the members' outstanding statements, one query each.
        var contents = new Dictionary<long, TransferContent>();
        foreach (var (id, row) in rows)
        {
            if (!row.Outgoing && orgs.ContainsKey(id))
            {
                contents[id] = TransferContent.Parse(row.Content);
            }
        }
        var references = contents.Values.SelectMany(c => c.References.Select(f => f.Reference)).Distinct().ToList();
        var requests = await Requests(conn, tx, references.Where(r => r.Kind == PaymentReferenceKind.Request).Select(r => r.Number).Distinct().ToArray(), ct);
        var memberIds = references.Where(r => r.Kind == PaymentReferenceKind.Member).Select(r => r.Number).ToHashSet();
        var placements = await Placements(conn, tx, memberIds.ToArray(), ct);
        var outstanding = await OutstandingOf(conn, tx, placements.Keys.Concat(requests.Values.Select(q => q.MemberId)).Distinct().Order().ToArray(), ct);

        var booked = new List<Booked>();
        var ignored = new List<long>();
        var settled = new HashSet<long>();
        foreach (var (id, row) in rows)
        {
            if (!contents.TryGetValue(id, out var content))
            {
                ignored.Add(id); // outgoing, or an account no organization (or more than one) keeps
                continue;
            }
            var org = orgs[id];
            var resolution = ReceiptResolver.Resolve(content.Match, org.Id, r => OwnerOf(r, placements, requests, outstanding));
            var amount = Money.Vnd(row.Amount);
            AllocationResult? allocation = null;
            long? memberId = null;
            if (resolution is ReceiptResolution.ToMember toMember)
            {
                memberId = toMember.MemberId;
                var statements = outstanding.TryGetValue(toMember.MemberId, out var list) ? list : [];
                allocation = Allocator.Allocate(amount, org.Id, statements);
                outstanding[toMember.MemberId] = AfterAllocation(statements, allocation);
                if (toMember.Found.Reference.Kind == PaymentReferenceKind.Request)
                {
                    long requestId = toMember.Found.Reference.Number;
                    settled.Add(requestId);
                    if (requests.TryGetValue(requestId, out var q) && PaymentRequest.SettleableStatuses.Contains(q.Status))
                    {
                        requests[requestId] = q with { Status = PaymentRequestStatus.Paid };
                    }
                }
            }
            string? reference = resolution switch
            {
                ReceiptResolution.ToMember m => m.Found.Reference.Value,
                ReceiptResolution.UnknownReference u => u.Found.Reference.Value,
                ReceiptResolution.OtherOrganization o => o.Found.Reference.Value,
                _ => null,
            };
            var balance = new ReceiptBalance(amount, allocation?.Allocated ?? Money.Zero, allocation?.Credit ?? Money.Zero, Money.Zero);
            booked.Add(new Booked(id, row, org, resolution, reference, memberId, allocation, balance));
        }

        // From here on every row of a distributed table is named by its whole key (docs/scaling.md): the bank lines' and
        // requests' provinces were read with them.
        var provinces = rows.ToDictionary(r => r.Id, r => r.Row.ProvinceId);
        if (ignored.Count > 0)
        {
            await using var cmd = new NpgsqlCommand("""
                update bank_transactions t set state = 'ignored', org_id = null, processed_at = @now
                from unnest(@ids, @provinces) as u(id, province) where t.id = u.id and t.province_id = u.province
                """, conn, tx);
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("ids", ignored.ToArray());
            cmd.Parameters.AddWithValue("provinces", ignored.Select(i => provinces[i]).ToArray());
            await cmd.ExecuteNonQueryAsync(ct);
        }
        if (booked.Count > 0)
        {
            await InsertReceipts(conn, tx, booked, actor, now, ct);
            await InsertAllocations(conn, tx, booked, actor, now, ct);
            if (settled.Count > 0)
            {
                await using var cmd = new NpgsqlCommand("""
                    update payment_requests q set status = @paid, closed_at = coalesce(q.closed_at, @now)
                    from unnest(@ids, @provinces) as u(id, province)
                    where q.id = u.id and q.province_id = u.province and q.status = any(@settleable)
                    """, conn, tx);
                var settledRequests = settled.Where(requests.ContainsKey).Order().ToArray();
                cmd.Parameters.AddWithValue("paid", PaymentRequestStatus.Paid.ToCode());
                cmd.Parameters.AddWithValue("now", now);
                cmd.Parameters.AddWithValue("ids", settledRequests);
                cmd.Parameters.AddWithValue("provinces", settledRequests.Select(q => requests[q].ProvinceId).ToArray());
                cmd.Parameters.AddWithValue("settleable", PaymentRequest.SettleableStatuses.Select(s => s.ToCode()).ToArray());
                await cmd.ExecuteNonQueryAsync(ct);
            }
            var entries = booked.Select(b => PostingRules.BankReceipt(b.Org.Id, SourceId(b.InboxId), VietnamTime.DateOf(b.Row.BookedAt), b.Balance.Amount,
                b.Allocation?.ToLedger() ?? [], b.MemberId, Memo(b.Row.Content))).ToList();
            await LedgerStore.PostBatch(conn, entries, request.RequestId, ct);
            await using (var done = new NpgsqlCommand("""
                update bank_transactions t set state = 'processed', org_id = u.org, processed_at = @now
                from unnest(@ids, @orgs, @provinces) as u(id, org, province) where t.id = u.id and t.province_id = u.province
                """, conn, tx))
            {
                done.Parameters.AddWithValue("now", now);
                done.Parameters.AddWithValue("ids", booked.Select(b => b.InboxId).ToArray());
                done.Parameters.AddWithValue("provinces", booked.Select(b => b.Row.ProvinceId).ToArray());
                done.Parameters.AddWithValue("orgs", booked.Select(b => b.Org.Id).ToArray());
                await done.ExecuteNonQueryAsync(ct);
            }
            await paymentReceipts.IssueBatch(conn, tx, booked.Where(b => b.MemberId is not null).Select(b => new BatchIssue(b.ReceiptId, b.MemberId!.Value,
                b.Org.Id, PeriodsOf(b.Allocation), b.Balance.Credited, b.Row.BookedAt)).ToList(), actor, now, ct);
            await audit.Copy(conn, actor, booked.Select(b => AuditEntry.Of("receipt.book", "receipt", b.ReceiptId.ToString(CultureInfo.InvariantCulture), null,
                new
                {
                    amount = b.Balance.Amount.Dong, status = b.Balance.Status.ToCode(), reference = b.Reference, memberId = b.MemberId,
                    allocations = b.Allocation?.Allocations.Select(a => new { a.StatementId, period = a.Period.ToString(), amount = a.Amount.Dong }),
                    credit = b.Balance.Credited.Dong,
                }, b.Org.Path)).ToList(), now, ct);
        }
        return booked.Select(b => new InboxOutcome(b.InboxId, b.ReceiptId, b.Balance.Status.ToCode(), false))
            .Concat(ignored.Select(id => new InboxOutcome(id, null, InboxOutcome.Ignored, false)))
            .Concat(remitted)
            .OrderBy(o => o.InboxId).ToList();
    }

    private sealed class Booked(long inboxId, InboxRow row, (long Id, string Path) org, ReceiptResolution resolution, string? reference, long? memberId,
        AllocationResult? allocation, ReceiptBalance balance)
    {
        public long InboxId { get; } = inboxId;
        public InboxRow Row { get; } = row;
        public (long Id, string Path) Org { get; } = org;
        public ReceiptResolution Resolution { get; } = resolution;
        public string? Reference { get; } = reference;
        public long? MemberId { get; } = memberId;
        public AllocationResult? Allocation { get; } = allocation;
        public ReceiptBalance Balance { get; } = balance;
        public long ReceiptId { get; set; }
        public long ReceiptProvinceId { get; set; }

        /// <summary>The receipt's period: the month of the line's booking day in Vietnam.</summary>
        public DateOnly ReceiptPeriod => PeriodOf(VietnamTime.DateOf(Row.BookedAt));
    }

    private sealed record RequestRow(long MemberId, long OrgId, PaymentRequestStatus Status, long ProvinceId);

    /// <summary>The rows still waiting to be booked, locked, in id order; rows another booking holds are skipped.</summary>
    private static async Task<List<(long Id, InboxRow Row)>> LockBatch(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<long> ids, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select id, state, direction = 'out', bank_bin, account_number, amount, content, counterparty_name, booked_at, province_id
            from bank_transactions where id = any(@ids) and state = 'accepted'
            order by id
            for update skip locked
            """, conn, tx);
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        var rows = new List<(long, InboxRow)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            rows.Add((r.GetInt64(0), new InboxRow(r.GetString(1), r.GetBoolean(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), r.GetInt64(5),
                r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.GetFieldValue<DateTimeOffset>(8), r.GetInt64(9))));
        }
        return rows;
    }

    /// <summary>The organization keeping each row's account, when exactly one does (as <see cref="ReceivingOrg"/> decides for one row).</summary>
    private static async Task<Dictionary<long, (long Id, string Path)>> ReceivingOrgs(NpgsqlConnection conn, NpgsqlTransaction tx,
        List<(long Id, InboxRow Row)> rows, CancellationToken ct)
    {
        var found = new Dictionary<long, List<(long, string)>>();
        if (rows.Count > 0)
        {
            await using var cmd = new NpgsqlCommand("""
                select u.row_id, o.id, o.path
                from unnest(@row_ids, @accounts, @bins) as u(row_id, account, bin)
                join orgs o on o.bank_account = u.account and (u.bin is null or o.bank_bin = u.bin)
                """, conn, tx);
            cmd.Parameters.AddWithValue("row_ids", rows.Select(r => r.Id).ToArray());
            cmd.Parameters.AddWithValue("accounts", rows.Select(r => r.Row.AccountNumber).ToArray());
            cmd.Parameters.AddWithValue("bins", rows.Select(r => r.Row.BankBin).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                long rowId = r.GetInt64(0);
                if (!found.TryGetValue(rowId, out var list))
                {
                    found[rowId] = list = [];
                }
                list.Add((r.GetInt64(1), r.GetString(2)));
            }
        }
        return found.Where(f => f.Value.Count == 1).ToDictionary(f => f.Key, f => f.Value[0]);
    }

    /// <summary>The requests named, by id.</summary>
    private static async Task<Dictionary<long, RequestRow>> Requests(NpgsqlConnection conn, NpgsqlTransaction tx, long[] ids, CancellationToken ct)
    {
        var result = new Dictionary<long, RequestRow>();
        if (ids.Length == 0)
        {
            return result;
        }
        // By the id alone: a payment reference carries only the request's id; the province read here completes its key for the update.
        await using var cmd = new NpgsqlCommand("select id, member_id, org_id, status, province_id from payment_requests where id = any(@ids)", conn, tx);
        cmd.Parameters.AddWithValue("ids", ids);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            result[r.GetInt64(0)] = new RequestRow(r.GetInt64(1), r.GetInt64(2), PaymentRequestStatusCodes.Parse(r.GetString(3)), r.GetInt64(4));
        }
        return result;
    }

    /// <summary>The members named who exist, each with the organizations they pay through today.</summary>
    private async Task<Dictionary<long, long[]>> Placements(NpgsqlConnection conn, NpgsqlTransaction tx, long[] memberIds, CancellationToken ct)
    {
        var result = new Dictionary<long, long[]>();
        if (memberIds.Length == 0)
        {
            return result;
        }
        await using var cmd = new NpgsqlCommand("""
            select m.id, array(select p.org_id from dues_placements_on(@today) p where p.member_id = m.id)
            from member_numbers n join members m on m.id = n.member_id and m.province_id = n.province_id
            where n.member_id = any(@ids)
            """, conn, tx);
        cmd.Parameters.AddWithValue("ids", memberIds);
        cmd.Parameters.AddWithValue("today", VietnamTime.Today(clock));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            result[r.GetInt64(0)] = r.GetFieldValue<long[]>(1);
        }
        return result;
    }

    /// <summary>The members' statements that can still take money, locked in member, period, id order, oldest first per member.</summary>
    private static async Task<Dictionary<long, List<OutstandingStatement>>> OutstandingOf(NpgsqlConnection conn, NpgsqlTransaction tx, long[] memberIds,
        CancellationToken ct)
    {
        var result = new Dictionary<long, List<OutstandingStatement>>();
        if (memberIds.Length == 0)
        {
            return result;
        }
        await using var cmd = new NpgsqlCommand("""
            select id, member_id, period, org_id, amount, paid, status from dues_statements
            where member_id = any(@members) and status = any(@outstanding) and amount > paid
            order by member_id, period, id
            for update
            """, conn, tx);
        cmd.Parameters.AddWithValue("members", memberIds);
        cmd.Parameters.AddWithValue("outstanding", DuesStatement.OutstandingStatuses.Select(s => s.ToCode()).ToArray());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            long member = r.GetInt64(1);
            if (!result.TryGetValue(member, out var list))
            {
                result[member] = list = [];
            }
            list.Add(new OutstandingStatement(r.GetInt64(0), member, Period.Containing(r.GetFieldValue<DateOnly>(2)), r.GetInt64(3),
                Money.Vnd(r.GetInt64(4)), Money.Vnd(r.GetInt64(5)),
                DuesStatementStatusCodes.TryParse(r.GetString(6), out var s) ? s : throw new InvalidOperationException(r.GetString(6))));
        }
        return result;
    }

    /// <summary>
    /// A reference's owner as <see cref="Owners"/> would read it at this point of the batch: a member's collecting
    /// organizations are those of their still-outstanding statements (as earlier rows of the batch left them) and where
    /// they pay today; a request carries its status as earlier rows left it.
    /// </summary>
    private static ReferenceOwner? OwnerOf(PaymentReference reference, Dictionary<long, long[]> placements, Dictionary<long, RequestRow> requests,
        Dictionary<long, List<OutstandingStatement>> outstanding)
    {
        if (reference.Kind == PaymentReferenceKind.Member)
        {
            if (!placements.TryGetValue(reference.Number, out long[]? today))
            {
                return null;
            }
            var orgs = outstanding.TryGetValue(reference.Number, out var list) ? list.Select(s => s.OrgId) : [];
            return ReferenceOwner.OfMember(reference.Number, orgs.Concat(today));
        }
        if (!requests.TryGetValue(reference.Number, out var q))
        {
            return null;
        }
        var status = q.Status switch
        {
            PaymentRequestStatus.Open => ReferenceStatus.Open,
            PaymentRequestStatus.Paid => ReferenceStatus.Paid,
            PaymentRequestStatus.Superseded => ReferenceStatus.Superseded,
            _ => ReferenceStatus.Expired,
        };
        return ReferenceOwner.OfRequest(q.MemberId, q.OrgId, status);
    }

    /// <summary>The member's statements after an allocation: paid amounts and statuses moved, those that can take no more dropped.</summary>
    private static List<OutstandingStatement> AfterAllocation(List<OutstandingStatement> statements, AllocationResult allocation)
    {
        if (allocation.Allocations.Count == 0)
        {
            return statements;
        }
        var moved = allocation.Allocations.ToDictionary(a => a.StatementId);
        var outstandingStatuses = DuesStatement.OutstandingStatuses;
        var after = new List<OutstandingStatement>(statements.Count);
        foreach (var s in statements)
        {
            var next = moved.TryGetValue(s.StatementId, out var a)
                ? new OutstandingStatement(s.StatementId, s.MemberId, s.Period, s.OrgId, s.Amount, a.PaidAfter, a.ResultingStatus)
                : s;
            if (outstandingStatuses.Contains(next.Status) && next.Amount > next.PaidSoFar)
            {
                after.Add(next);
            }
        }
        return after;
    }

    private static List<PeriodPayment> PeriodsOf(AllocationResult? allocation) =>
        allocation is null
            ? []
            : allocation.Allocations.GroupBy(a => a.Period).OrderBy(g => g.Key)
                .Select(g => new PeriodPayment(g.Key, Money.Sum(g.Select(a => a.Amount)))).ToList();

    private static async Task InsertReceipts(NpgsqlConnection conn, NpgsqlTransaction tx, List<Booked> booked, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand("""
            insert into receipts (province_id, org_id, source, bank_transaction_id, amount, allocated, credited, refunded, status, content, counterparty_name,
                                  member_id, reference, resolution, note, booked_at, booking_date, period, recorded_by, created_at, updated_at)
            select o.province_id, u.org, 'bank', u.bt, u.amount, u.allocated, u.credited, 0, u.status, u.content, u.cp, u.member, u.ref, u.resolution, u.note,
                   u.booked, u.booked_date, u.period, @by, @now, @now
            from unnest(@orgs, @bts, @amounts, @allocated, @credited, @statuses, @contents, @cps, @members, @refs, @resolutions, @notes, @booked, @dates, @periods)
                 with ordinality as u(org, bt, amount, allocated, credited, status, content, cp, member, ref, resolution, note, booked, booked_date, period, ord)
            join orgs o on o.id = u.org
            order by u.ord
            returning id, bank_transaction_id, province_id
            """, conn, tx);
        insert.Parameters.AddWithValue("orgs", booked.Select(b => b.Org.Id).ToArray());
        insert.Parameters.AddWithValue("bts", booked.Select(b => b.InboxId).ToArray());
        insert.Parameters.AddWithValue("amounts", booked.Select(b => b.Balance.Amount.Dong).ToArray());
        insert.Parameters.AddWithValue("allocated", booked.Select(b => b.Balance.Allocated.Dong).ToArray());
        insert.Parameters.AddWithValue("credited", booked.Select(b => b.Balance.Credited.Dong).ToArray());
        insert.Parameters.AddWithValue("statuses", booked.Select(b => b.Balance.Status.ToCode()).ToArray());
        insert.Parameters.AddWithValue("contents", booked.Select(b => b.Row.Content).ToArray());
        insert.Parameters.AddWithValue("cps", booked.Select(b => b.Row.CounterpartyName).ToArray());
        insert.Parameters.Add(new NpgsqlParameter("members", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint) { Value = booked.Select(b => b.MemberId).ToArray() });
        insert.Parameters.AddWithValue("refs", booked.Select(b => b.Reference).ToArray());
        insert.Parameters.AddWithValue("resolutions", booked.Select(b => ResolutionCode(b.Resolution)).ToArray());
        insert.Parameters.AddWithValue("notes", booked.Select(b => b.Resolution.ToVietnamese()).ToArray());
        insert.Parameters.AddWithValue("booked", booked.Select(b => b.Row.BookedAt).ToArray());
        insert.Parameters.AddWithValue("dates", booked.Select(b => VietnamTime.DateOf(b.Row.BookedAt)).ToArray());
        insert.Parameters.AddWithValue("periods", booked.Select(b => b.ReceiptPeriod).ToArray());
        insert.Parameters.AddWithValue("by", actor.Username);
        insert.Parameters.AddWithValue("now", now);
        var byInbox = booked.ToDictionary(b => b.InboxId);
        await using var r = await insert.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var b = byInbox[r.GetInt64(1)];
            b.ReceiptId = r.GetInt64(0);
            b.ReceiptProvinceId = r.GetInt64(2);
        }
    }

    /// <summary>
    /// Every allocation of the batch, and each statement's paid amount and status as its last allocation in the batch
    /// left them (one update per statement: the database checks the move from the status it had before the batch).
    /// </summary>
    private static async Task InsertAllocations(NpgsqlConnection conn, NpgsqlTransaction tx, List<Booked> booked, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var all = booked.Where(b => b.Allocation is { Allocations.Count: > 0 })
            .SelectMany(b => b.Allocation!.Allocations.Select(a => (b.ReceiptId, b.ReceiptProvinceId, b.ReceiptPeriod, Allocation: a))).ToList();
        if (all.Count == 0)
        {
            return;
        }
        await using (var cmd = new NpgsqlCommand("""
            insert into receipt_allocations (province_id, receipt_id, receipt_period, statement_id, member_id, period, org_id, amount, kind, created_by, created_at)
            select u.province, u.receipt, u.receipt_period, u.statement, u.member, u.period, u.org, u.amount, 'auto', @by, @now
            from unnest(@provinces, @receipts, @receipt_periods, @statements, @members, @periods, @orgs, @amounts) with ordinality
                 as u(province, receipt, receipt_period, statement, member, period, org, amount, ord)
            order by u.ord
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("receipts", all.Select(a => a.ReceiptId).ToArray());
            cmd.Parameters.AddWithValue("provinces", all.Select(a => a.ReceiptProvinceId).ToArray());
            cmd.Parameters.AddWithValue("receipt_periods", all.Select(a => a.ReceiptPeriod).ToArray());
            cmd.Parameters.AddWithValue("statements", all.Select(a => a.Allocation.StatementId).ToArray());
            cmd.Parameters.AddWithValue("members", all.Select(a => a.Allocation.MemberId).ToArray());
            cmd.Parameters.AddWithValue("periods", all.Select(a => a.Allocation.Period.FirstDay).ToArray());
            cmd.Parameters.AddWithValue("orgs", all.Select(a => a.Allocation.OrgId).ToArray());
            cmd.Parameters.AddWithValue("amounts", all.Select(a => a.Allocation.Amount.Dong).ToArray());
            cmd.Parameters.AddWithValue("by", actor.Username);
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var last = all.GroupBy(a => a.Allocation.StatementId).OrderBy(g => g.Key)
            .Select(g => (Id: g.Key, Added: g.Sum(a => a.Allocation.Amount.Dong), Final: g.Last().Allocation)).ToList();
        // The whole key (id, province_id, period) is named (the period so that one partition is probed): with only the id, which is no longer unique on its own, the planner
        // hash-joined a sequential scan of every statement whenever the table's statistics were missing (11 ms per
        // batch of 8 in BankFeedBench webhook at 50,000 statements); with the whole key it is one index probe per row,
        // and the row stays shard-local on Citus. A statement's province is its organization's (kept so by the orgs
        // triggers); if that ever failed, the count check below refuses the batch instead of booking a payment whose
        // statement was not updated.
        await using (var cmd = new NpgsqlCommand("""
            update dues_statements s set paid = s.paid + u.added, status = u.status, updated_at = @now
            from unnest(@ids, @added, @statuses, @orgs, @periods) as u(id, added, status, org, period) join orgs o on o.id = u.org
            where s.id = u.id and s.province_id = o.province_id and s.period = u.period
              -- The batch's months as a parameter too, so that a custom plan is made for their partitions only (the
              -- join's u.period prunes only at run time, after the planner has planned every month).
              and s.period = any(@periods)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("periods", last.Select(l => l.Final.Period.FirstDay).ToArray());
            cmd.Parameters.AddWithValue("ids", last.Select(l => l.Id).ToArray());
            cmd.Parameters.AddWithValue("added", last.Select(l => l.Added).ToArray());
            cmd.Parameters.AddWithValue("statuses", last.Select(l => l.Final.ResultingStatus.ToCode()).ToArray());
            cmd.Parameters.AddWithValue("orgs", last.Select(l => l.Final.OrgId).ToArray());
            cmd.Parameters.AddWithValue("now", now);
            var updated = await cmd.ExecuteNonQueryAsync(ct);
            if (updated != last.Count)
            {
                throw new InvalidOperationException($"Booking updated {updated} of {last.Count} statements: a statement's province_id differs from its organization's.");
            }
        }
    }
}

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
using Npgsql;

namespace Fees.Persistence.Bank;

/// <summary>
/// Books one stored bank transaction, inside the caller's transaction: finds the receiving organization by its
/// account, reads the reference in the transfer content (<see cref="TransferContent"/>), resolves it
/// (<see cref="ReceiptResolver"/>), allocates to the member's outstanding statements oldest first
/// (<see cref="Allocator"/>, the statement lifecycle deciding each status), keeps the rest as the member's credit, or
/// the whole amount in suspense when nobody is identified; then writes the receipt, its allocations, the statements'
/// new paid amounts, the journal entry (<see cref="PostingRules.BankReceipt"/>) and an audit record, and marks the
/// inbox row processed. One transaction: all of it, or nothing.
/// </summary>
public sealed partial class ReceiptBooking(AuditWriter audit, TimeProvider clock, IRequestContext request, Receipts.PaymentReceipts paymentReceipts,
    Closing.RemittanceOrders remittances, Database.PartitionMonths partitions)
{
    /// <summary>A receipt by its whole key: what rows that name it (allocations, biên lai, treasurer actions) carry.</summary>
    internal readonly record struct ReceiptKey(long Id, long ProvinceId, DateOnly Period);

    /// <summary>The period of a receipt booked on <paramref name="bookingDate"/>: its month (<c>ck_receipts_period</c>).</summary>
    internal static DateOnly PeriodOf(DateOnly bookingDate) => Period.Containing(bookingDate).FirstDay;

    /// <summary>The ledger source id of a bank receipt: the inbox row's id, stable whatever the provider.</summary>
    public static string SourceId(long inboxId) => "bt-" + inboxId.ToString(CultureInfo.InvariantCulture);

    public async Task<InboxOutcome> Book(NpgsqlConnection conn, NpgsqlTransaction tx, long inboxId, Actor actor, CancellationToken ct)
    {
        var row = await Lock(conn, tx, inboxId, ct);
        if (row.State != "accepted")
        {
            return await Existing(conn, tx, inboxId, row.State, PeriodOf(VietnamTime.DateOf(row.BookedAt)), ct);
        }
        // The line is booked in the month of its own booking day, which may have no partition yet (a new month's first
        // transfer, an old day's): the caller creates it outside this transaction and tries again (BankInbox).
        await partitions.Require(conn, tx, [Period.Containing(VietnamTime.DateOf(row.BookedAt))], ct);
        var now = clock.GetUtcNow();
        var content = TransferContent.Parse(row.Content);
        if (content.References.Any(f => f.Reference.Kind == PaymentReferenceKind.Remittance)
            && await ReceivingOrg(conn, tx, row.BankBin, row.AccountNumber, ct) is { } account
            && await remittances.TryBook(conn, inboxId, row.ProvinceId, account.Id, row.Outgoing, row.Amount, content.References.Select(f => f.Reference),
                VietnamTime.DateOf(row.BookedAt), actor, ct) is { } remitted)
        {
            // A child's share passed up after its close: paid (its account) or confirmed (the parent's), never dues.
            return new InboxOutcome(inboxId, null, remitted, false);
        }
        if (row.Outgoing)
        {
            // Money leaving an account (a refund, a remittance): recorded, never dues.
            await MarkIgnored(conn, tx, inboxId, row.ProvinceId, null, now, ct);
            return new InboxOutcome(inboxId, null, InboxOutcome.Ignored, false);
        }
        var org = await ReceivingOrg(conn, tx, row.BankBin, row.AccountNumber, ct);
        if (org is null)
        {
            await MarkIgnored(conn, tx, inboxId, row.ProvinceId, null, now, ct);
            return new InboxOutcome(inboxId, null, InboxOutcome.Ignored, false);
        }

        var match = content.Match;
        var owners = await Owners(conn, tx, content.References.Select(f => f.Reference).Distinct().ToList(), ct);
        var resolution = ReceiptResolver.Resolve(match, org.Value.Id, r => owners.GetValueOrDefault(r.Value));
        var amount = Money.Vnd(row.Amount);
        var bookingDate = VietnamTime.DateOf(row.BookedAt);

        AllocationResult? allocation = null;
        long? memberId = null;
        if (resolution is ReceiptResolution.ToMember toMember)
        {
            memberId = toMember.MemberId;
            var statements = await Outstanding(conn, tx, toMember.MemberId, ct);
            allocation = Allocator.Allocate(amount, org.Value.Id, statements);
        }
        var balance = new ReceiptBalance(amount, allocation?.Allocated ?? Money.Zero, allocation?.Credit ?? Money.Zero, Money.Zero);
        string? reference = resolution switch
        {
            ReceiptResolution.ToMember m => m.Found.Reference.Value,
            ReceiptResolution.UnknownReference u => u.Found.Reference.Value,
            ReceiptResolution.OtherOrganization o => o.Found.Reference.Value,
            _ => null,
        };

        ReceiptKey receipt;
        await using (var insert = new NpgsqlCommand("""
            insert into receipts (province_id, org_id, source, bank_transaction_id, amount, allocated, credited, refunded, status, content, counterparty_name,
                                  member_id, reference, resolution, note, booked_at, booking_date, period, recorded_by, created_at, updated_at)
            values ((select province_id from orgs where id = @org), @org, 'bank', @bt, @amount, @allocated, @credited, 0, @status, @content, @cp, @member, @ref, @resolution, @note,
                    @booked, @date, @period, @by, @now, @now)
            returning id, province_id
            """, conn, tx))
        {
            insert.Parameters.AddWithValue("org", org.Value.Id);
            insert.Parameters.AddWithValue("bt", inboxId);
            insert.Parameters.AddWithValue("amount", amount.Dong);
            insert.Parameters.AddWithValue("allocated", balance.Allocated.Dong);
            insert.Parameters.AddWithValue("credited", balance.Credited.Dong);
            insert.Parameters.AddWithValue("status", balance.Status.ToCode());
            insert.Parameters.AddWithValue("content", row.Content);
            insert.Parameters.AddWithValue("cp", (object?)row.CounterpartyName ?? DBNull.Value);
            insert.Parameters.AddWithValue("member", (object?)memberId ?? DBNull.Value);
            insert.Parameters.AddWithValue("ref", (object?)reference ?? DBNull.Value);
            insert.Parameters.AddWithValue("resolution", ResolutionCode(resolution));
            insert.Parameters.AddWithValue("note", resolution.ToVietnamese());
            insert.Parameters.AddWithValue("booked", row.BookedAt);
            insert.Parameters.AddWithValue("date", bookingDate);
            insert.Parameters.AddWithValue("period", PeriodOf(bookingDate));
            insert.Parameters.AddWithValue("by", actor.Username);
            insert.Parameters.AddWithValue("now", now);
            await using var r = await insert.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            receipt = new ReceiptKey(r.GetInt64(0), r.GetInt64(1), PeriodOf(bookingDate));
        }
        long receiptId = receipt.Id;

        if (allocation is { Allocations.Count: > 0 })
        {
            await ApplyAllocations(conn, tx, receipt, allocation.Allocations, "auto", actor.Username, now, ct);
        }
        if (resolution is ReceiptResolution.ToMember { Found.Reference.Kind: PaymentReferenceKind.Request } paid)
        {
            await SettleRequest(conn, tx, paid.Found.Reference.Number, now, ct);
        }

        var entry = PostingRules.BankReceipt(org.Value.Id, SourceId(inboxId), bookingDate, amount,
            allocation?.ToLedger() ?? [], memberId, Memo(row.Content));
        await LedgerStore.PostBatch(conn, [entry], request.RequestId, ct);

        await using (var done = new NpgsqlCommand(
            "update bank_transactions set state = 'processed', org_id = @org, processed_at = @now where id = @id and province_id = @province", conn, tx))
        {
            done.Parameters.AddWithValue("province", row.ProvinceId);
            done.Parameters.AddWithValue("org", org.Value.Id);
            done.Parameters.AddWithValue("now", now);
            done.Parameters.AddWithValue("id", inboxId);
            await done.ExecuteNonQueryAsync(ct);
        }
        if (memberId is { } payer)
        {
            // The member has paid: their electronic receipt (biên lai), numbered and signed in this same transaction.
            await paymentReceipts.Issue(conn, tx, receiptId, payer, actor, null, ct);
        }
        await audit.Copy(conn, actor, [AuditEntry.Of("receipt.book", "receipt", receiptId.ToString(CultureInfo.InvariantCulture), null,
            new
            {
                amount = amount.Dong, status = balance.Status.ToCode(), reference, memberId,
                allocations = allocation?.Allocations.Select(a => new { a.StatementId, period = a.Period.ToString(), amount = a.Amount.Dong }),
                credit = balance.Credited.Dong,
            }, org.Value.Path)], now, ct);
        return new InboxOutcome(inboxId, receiptId, balance.Status.ToCode(), false);
    }

    /// <summary>
    /// Writes allocations of a receipt to statements: the allocation rows, and each statement's paid amount and status as
    /// the lifecycle decided (<see cref="StatementAllocation.ResultingStatus"/>); the database re-checks every status move.
    /// </summary>
    internal static async Task ApplyAllocations(NpgsqlConnection conn, NpgsqlTransaction tx, ReceiptKey receipt, IReadOnlyList<StatementAllocation> allocations,
        string kind, string by, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            with a as (
              select * from unnest(@statement_ids, @member_ids, @periods, @org_ids, @amounts, @statuses)
                as a(statement_id, member_id, period, org_id, amount, status)
            ), updated as (
              update dues_statements s set paid = s.paid + a.amount, status = a.status, updated_at = @now
              from a where s.id = a.statement_id and s.period = a.period
              returning s.id
            )
            insert into receipt_allocations (province_id, receipt_id, receipt_period, statement_id, member_id, period, org_id, amount, kind, created_by, created_at)
            select @province, @receipt, @receipt_period, a.statement_id, a.member_id, a.period, a.org_id, a.amount, @kind, @by, @now
            from a
            """, conn, tx);
        cmd.Parameters.AddWithValue("statement_ids", allocations.Select(a => a.StatementId).ToArray());
        cmd.Parameters.AddWithValue("member_ids", allocations.Select(a => a.MemberId).ToArray());
        cmd.Parameters.AddWithValue("periods", allocations.Select(a => a.Period.FirstDay).ToArray());
        cmd.Parameters.AddWithValue("org_ids", allocations.Select(a => a.OrgId).ToArray());
        cmd.Parameters.AddWithValue("amounts", allocations.Select(a => a.Amount.Dong).ToArray());
        cmd.Parameters.AddWithValue("statuses", allocations.Select(a => a.ResultingStatus.ToCode()).ToArray());
        cmd.Parameters.AddWithValue("receipt", receipt.Id);
        cmd.Parameters.AddWithValue("province", receipt.ProvinceId);
        cmd.Parameters.AddWithValue("receipt_period", receipt.Period);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("by", by);
        cmd.Parameters.AddWithValue("now", now);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A member's statements that can still take money, locked for this transaction, oldest first.</summary>
    internal static async Task<List<OutstandingStatement>> Outstanding(NpgsqlConnection conn, NpgsqlTransaction tx, long memberId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select id, member_id, period, org_id, amount, paid, status from dues_statements
            where member_id = @member and status = any(@outstanding) and amount > paid
            order by period, id
            for update
            """, conn, tx);
        cmd.Parameters.AddWithValue("member", memberId);
        cmd.Parameters.AddWithValue("outstanding", DuesStatement.OutstandingStatuses.Select(s => s.ToCode()).ToArray());
        var result = new List<OutstandingStatement>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            result.Add(new OutstandingStatement(r.GetInt64(0), r.GetInt64(1), Period.Containing(r.GetFieldValue<DateOnly>(2)), r.GetInt64(3),
                Money.Vnd(r.GetInt64(4)), Money.Vnd(r.GetInt64(5)), DuesStatementStatusCodes.TryParse(r.GetString(6), out var s) ? s : throw new InvalidOperationException(r.GetString(6))));
        }
        return result;
    }

    /// <summary>A stored bank line as booking reads it; <paramref name="ProvinceId"/> completes its key, so every later statement names the whole key.</summary>
    private sealed record InboxRow(string State, bool Outgoing, string? BankBin, string AccountNumber, long Amount, string Content, string? CounterpartyName,
        DateTimeOffset BookedAt, long ProvinceId);

    private static async Task<InboxRow> Lock(NpgsqlConnection conn, NpgsqlTransaction tx, long inboxId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select state, direction = 'out', bank_bin, account_number, amount, content, counterparty_name, booked_at, province_id
            from bank_transactions where id = @id for update
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", inboxId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            throw new InvalidOperationException($"Bank transaction {inboxId} is not in the inbox.");
        }
        return new InboxRow(r.GetString(0), r.GetBoolean(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetInt64(4), r.GetString(5),
            r.IsDBNull(6) ? null : r.GetString(6), r.GetFieldValue<DateTimeOffset>(7), r.GetInt64(8));
    }

    private static async Task<InboxOutcome> Existing(NpgsqlConnection conn, NpgsqlTransaction tx, long inboxId, string state, DateOnly period, CancellationToken ct)
    {
        // The line's receipt is in the month of the line's booking day: one partition is read.
        await using var cmd = new NpgsqlCommand("select id, status from receipts where bank_transaction_id = @id and period = @period", conn, tx);
        cmd.Parameters.AddWithValue("id", inboxId);
        cmd.Parameters.AddWithValue("period", period);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (await r.ReadAsync(ct))
        {
            return new InboxOutcome(inboxId, r.GetInt64(0), r.GetString(1), true);
        }
        await r.CloseAsync();
        string status = state == "ignored" ? InboxOutcome.Ignored
            : await Closing.RemittanceOrders.StatusOf(conn, inboxId, ct) ?? InboxOutcome.Accepted;
        return new InboxOutcome(inboxId, null, status, true);
    }

    private static async Task MarkIgnored(NpgsqlConnection conn, NpgsqlTransaction tx, long inboxId, long provinceId, long? orgId, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "update bank_transactions set state = 'ignored', org_id = @org, processed_at = @now where id = @id and province_id = @province", conn, tx);
        cmd.Parameters.AddWithValue("province", provinceId);
        cmd.Parameters.AddWithValue("org", (object?)orgId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("id", inboxId);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The organization that keeps this account: by BIN and number when the provider named the bank, else by number alone (and only if one organization has it).</summary>
    private static async Task<(long Id, string Path)?> ReceivingOrg(NpgsqlConnection conn, NpgsqlTransaction tx, string? bin, string account, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select id, path from orgs where bank_account = @account and (@bin::text is null or bank_bin = @bin) limit 2
            """, conn, tx);
        cmd.Parameters.AddWithValue("account", account);
        cmd.Parameters.AddWithValue("bin", (object?)bin ?? DBNull.Value);
        var found = new List<(long, string)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            found.Add((r.GetInt64(0), r.GetString(1)));
        }
        return found.Count == 1 ? found[0] : null;
    }

    /// <summary>
    /// The owners of the references read (one query each for members and requests): a member's standing reference is
    /// collected by the organization the member pays through today and by any holding an unpaid statement of theirs; a
    /// request by the organization it was made for.
    /// </summary>
    private async Task<Dictionary<string, ReferenceOwner>> Owners(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<PaymentReference> references, CancellationToken ct)
    {
        var owners = new Dictionary<string, ReferenceOwner>(StringComparer.Ordinal);
        var memberRefs = references.Where(r => r.Kind == PaymentReferenceKind.Member).ToList();
        var requestRefs = references.Where(r => r.Kind == PaymentReferenceKind.Request).ToList();
        if (memberRefs.Count > 0)
        {
            await using var cmd = new NpgsqlCommand("""
                select m.id,
                       array(select s.org_id from dues_statements s where s.member_id = m.id and s.status = any(@outstanding) and s.amount > s.paid
                             union select p.org_id from dues_placements_on(@today) p where p.member_id = m.id)
                from members m where m.id = any(@ids)
                """, conn, tx);
            cmd.Parameters.AddWithValue("ids", memberRefs.Select(r => r.Number).ToArray());
            cmd.Parameters.AddWithValue("outstanding", DuesStatement.OutstandingStatuses.Select(s => s.ToCode()).ToArray());
            cmd.Parameters.AddWithValue("today", VietnamTime.Today(clock));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                long id = r.GetInt64(0);
                owners[PaymentReference.ForMember(id).Value] = ReferenceOwner.OfMember(id, r.GetFieldValue<long[]>(1));
            }
        }
        if (requestRefs.Count > 0)
        {
            await using var cmd = new NpgsqlCommand("select id, member_id, org_id, status from payment_requests where id = any(@ids)", conn, tx);
            cmd.Parameters.AddWithValue("ids", requestRefs.Select(r => r.Number).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var status = PaymentRequestStatusCodes.Parse(r.GetString(3)) switch
                {
                    PaymentRequestStatus.Open => ReferenceStatus.Open,
                    PaymentRequestStatus.Paid => ReferenceStatus.Paid,
                    PaymentRequestStatus.Superseded => ReferenceStatus.Superseded,
                    _ => ReferenceStatus.Expired,
                };
                owners[PaymentReference.NewRequest(r.GetInt64(0)).Value] = ReferenceOwner.OfRequest(r.GetInt64(1), r.GetInt64(2), status);
            }
        }
        return owners;
    }

    /// <summary>The request the member paid with is settled (whatever replaced it: a saved code still pays).</summary>
    private static async Task SettleRequest(NpgsqlConnection conn, NpgsqlTransaction tx, long requestId, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            update payment_requests set status = @paid, closed_at = coalesce(closed_at, @now)
            where id = @id and status = any(@settleable)
            """, conn, tx);
        cmd.Parameters.AddWithValue("paid", PaymentRequestStatus.Paid.ToCode());
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("id", requestId);
        cmd.Parameters.AddWithValue("settleable", PaymentRequest.SettleableStatuses.Select(s => s.ToCode()).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string ResolutionCode(ReceiptResolution resolution) => resolution switch
    {
        ReceiptResolution.ToMember => "to_member",
        ReceiptResolution.NoReference => "no_reference",
        ReceiptResolution.UnknownReference => "unknown_reference",
        ReceiptResolution.Ambiguous => "ambiguous",
        ReceiptResolution.OtherOrganization => "other_organization",
        _ => throw new ArgumentOutOfRangeException(nameof(resolution), resolution, null),
    };

    private static string Memo(string content)
    {
        string clean = new(content.Where(c => !char.IsControl(c)).Take(120).ToArray());
        return "Thu qua ngân hàng: " + clean;
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Ledger;
using Fees.Domain.Matching;
using Fees.Domain.Outcomes;
using Fees.Domain.Receipts;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Fees.Persistence.Ledger;
using Npgsql;

namespace Fees.Persistence.Bank;

/// <summary>One allocation a treasurer asks for: this member's dues of this period, this much.</summary>
public sealed record AllocationRequest(string? MemberNo, string? Period, long? Amount);

/// <summary>
/// What a treasurer does to the organization's books by hand, each in one transaction with its journal entry and audit
/// record, and each once per key (the client's <c>Idempotency-Key</c>, else the hash of what was asked: 20 identical
/// calls make one effect and the same answer):
/// allocate a receipt's suspense to members' dues, refund what is in suspense, take a member's cash, and confirm that a
/// bank credit in suspense is the deposit of the treasurer's own cash.
/// </summary>
public sealed class TreasurerActions(NpgsqlDataSource dataSource, AuditWriter audit, Receipts.PaymentReceipts paymentReceipts, TimeProvider clock,
    IRequestContext request, Database.PartitionMonths partitions)
{
    /// <summary>The most allocations one request may carry.</summary>
    public const int MaxAllocations = 120;

    /// <summary>The longest note kept (characters).</summary>
    public const int MaxNoteLength = 500;

    public sealed record ActionResult(long ReceiptId, string Status, long Amount, long InSuspense);

    /// <summary>Allocates part or all of a receipt's suspense to members' dues statements at the receiving organization.</summary>
    public async Task<Outcome<ActionResult>> Allocate(long receiptId, IReadOnlyList<AllocationRequest>? allocations, string? key, Actor actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (allocations is null || allocations.Count == 0 || allocations.Count > MaxAllocations)
        {
            return Refusal.Field("allocations", $"Cần từ 1 đến {MaxAllocations} dòng phân bổ.");
        }
        var parsed = new List<(string MemberNo, Period Period, Money Amount)>();
        for (int i = 0; i < allocations.Count; i++)
        {
            var a = allocations[i];
            string at = string.Create(CultureInfo.InvariantCulture, $"allocations[{i}]");
            if (string.IsNullOrWhiteSpace(a.MemberNo) || a.MemberNo.Length > 20)
            {
                errors[at + ".memberNo"] = ["Cần số thẻ đảng viên."];
            }
            if (!Period.TryParse(a.Period, out var period))
            {
                errors[at + ".period"] = ["Kỳ phải có dạng yyyy-MM."];
            }
            if (a.Amount is not > 0 || a.Amount >= 1_000_000_000_000)
            {
                errors[at + ".amount"] = ["Số tiền phải là số nguyên đồng lớn hơn 0."];
            }
            if (errors.Count == 0)
            {
                parsed.Add((a.MemberNo!.Trim(), period, Money.Vnd(a.Amount!.Value)));
            }
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        if (parsed.GroupBy(p => (p.MemberNo, p.Period)).Any(g => g.Count() > 1))
        {
            return Refusal.Field("allocations", "Mỗi đảng viên, mỗi kỳ chỉ ghi một dòng.");
        }
        string actionKey = key ?? Hash("allocate", receiptId, parsed.Select(p => $"{p.MemberNo}|{p.Period}|{p.Amount.Dong}"));

        return await InTransaction(async (conn, tx) =>
        {
            var receipt = await LockReceipt(conn, tx, receiptId, actor, ct);
            if (!receipt.Succeeded)
            {
                return receipt.Refusal;
            }
            var r = receipt.Value;
            if (await Claim(conn, tx, r.OrgId, "allocate", actionKey, r.Key, actor, ct) is { } earlier)
            {
                return earlier;
            }
            var total = Money.Sum(parsed.Select(p => p.Amount));
            if (total > r.Balance.InSuspense)
            {
                return Refusal.Rule("exceeds_unallocated",
                    $"Tổng phân bổ {total.ToDisplayString()} vượt số tiền còn chờ xử lý của khoản thu ({r.Balance.InSuspense.ToDisplayString()}).");
            }
            var statements = await StatementsFor(conn, tx, r.OrgId, parsed.Select(p => (p.MemberNo, p.Period)).ToList(), ct);
            var done = new List<StatementAllocation>();
            foreach (var (memberNo, period, amount) in parsed)
            {
                if (!statements.TryGetValue((memberNo, period), out var s))
                {
                    return Refusal.Rule("no_such_statement",
                        $"Đảng viên {memberNo} không có khoản đảng phí {period.ToDisplayString()} còn phải nộp tại tổ chức này.");
                }
                var result = Allocator.Allocate(amount, r.OrgId, [s]);
                if (!result.Credit.IsZero || result.Allocations.Count != 1)
                {
                    return Refusal.Rule("exceeds_statement",
                        $"Khoản đảng phí {period.ToDisplayString()} của đảng viên {memberNo} chỉ còn {s.Outstanding.ToDisplayString()}.");
                }
                done.Add(result.Allocations[0]);
            }
            var now = clock.GetUtcNow();
            var balance = r.Balance.AllocateFromSuspense(total);
            await ReceiptBooking.ApplyAllocations(conn, tx, r.Key, done, "manual", actor.Username, now, ct);
            await UpdateReceipt(conn, tx, r.Key, balance, now, ct);
            var entry = PostingRules.Allocate(r.OrgId, "ma-" + KeyId(actionKey), VietnamTime.DateOf(now), Holding.Suspense,
                done.Select(d => d.ToLedger()).ToList(), $"Phân bổ khoản thu #{receiptId} từ tiền chờ xử lý");
            await LedgerStore.PostBatch(conn, [entry], request.RequestId, ct);
            foreach (long member in done.Select(d => d.MemberId).Distinct())
            {
                // Each member whose dues this money paid gets their receipt (biên lai).
                await paymentReceipts.Issue(conn, tx, receiptId, member, actor, null, ct);
            }
            var answer = new ActionResult(receiptId, balance.Status.ToCode(), balance.Amount.Dong, balance.InSuspense.Dong);
            await Finish(conn, tx, r, "receipt.allocate", answer,
                new { allocations = done.Select(d => new { d.StatementId, d.MemberId, period = d.Period.ToString(), amount = d.Amount.Dong }) }, actor, actionKey, now, ct);
            return answer;
        }, ct);
    }

    /// <summary>Refunds <paramref name="amount"/> of a receipt's suspense to the payer (the outgoing transfer is the treasurer's).</summary>
    public async Task<Outcome<ActionResult>> Refund(long receiptId, long? amount, string? note, string? key, Actor actor, CancellationToken ct)
    {
        if (amount is not > 0 || amount >= 1_000_000_000_000)
        {
            return Refusal.Field("amount", "Số tiền hoàn trả phải là số nguyên đồng lớn hơn 0.");
        }
        if (note is { Length: > MaxNoteLength })
        {
            return Refusal.Field("note", $"Ghi chú tối đa {MaxNoteLength} ký tự.");
        }
        string actionKey = key ?? Hash("refund", receiptId, [amount.Value.ToString(CultureInfo.InvariantCulture), note ?? ""]);
        return await InTransaction(async (conn, tx) =>
        {
            var receipt = await LockReceipt(conn, tx, receiptId, actor, ct);
            if (!receipt.Succeeded)
            {
                return receipt.Refusal;
            }
            var r = receipt.Value;
            if (await Claim(conn, tx, r.OrgId, "refund", actionKey, r.Key, actor, ct) is { } earlier)
            {
                return earlier;
            }
            var money = Money.Vnd(amount.Value);
            if (money > r.Balance.InSuspense)
            {
                return Refusal.Rule("exceeds_unallocated", $"Chỉ còn {r.Balance.InSuspense.ToDisplayString()} chờ xử lý để hoàn trả.");
            }
            var now = clock.GetUtcNow();
            var balance = r.Balance.Refund(money);
            await UpdateReceipt(conn, tx, r.Key, balance, now, ct);
            var entry = PostingRules.Refund(r.OrgId, "rf-" + KeyId(actionKey), VietnamTime.DateOf(now), Holding.Suspense, money,
                $"Hoàn trả khoản thu #{receiptId}" + (string.IsNullOrWhiteSpace(note) ? "" : ": " + Clean(note)));
            await LedgerStore.PostBatch(conn, [entry], request.RequestId, ct);
            var answer = new ActionResult(receiptId, balance.Status.ToCode(), balance.Amount.Dong, balance.InSuspense.Dong);
            await Finish(conn, tx, r, "receipt.refund", answer, new { amount, note }, actor, actionKey, now, ct);
            return answer;
        }, ct);
    }

    /// <summary>Confirms that a receipt in suspense is the deposit of the treasurer's cash (suspense to cash).</summary>
    public async Task<Outcome<ActionResult>> ConfirmDeposit(long receiptId, string? key, Actor actor, CancellationToken ct)
    {
        string actionKey = key ?? Hash("deposit", receiptId, []);
        return await InTransaction(async (conn, tx) =>
        {
            var receipt = await LockReceipt(conn, tx, receiptId, actor, ct);
            if (!receipt.Succeeded)
            {
                return receipt.Refusal;
            }
            var r = receipt.Value;
            if (await Claim(conn, tx, r.OrgId, "deposit", actionKey, r.Key, actor, ct) is { } earlier)
            {
                return earlier;
            }
            if (!r.Balance.InSuspense.IsPositive)
            {
                return Refusal.Conflict("nothing_in_suspense", "Khoản thu này không còn tiền chờ xử lý.");
            }
            var cash = await Balance(conn, tx, r.OrgId, AccountType.Cash, ct);
            if (r.Balance.InSuspense > cash)
            {
                return Refusal.Rule("exceeds_cash", $"Quỹ tiền mặt chỉ có {cash.ToDisplayString()}; khoản {r.Balance.InSuspense.ToDisplayString()} không thể là tiền mặt nộp vào tài khoản.");
            }
            var now = clock.GetUtcNow();
            var deposited = r.Balance.InSuspense;
            var balance = r.Balance.ConfirmDeposit();
            await UpdateReceipt(conn, tx, r.Key, balance, now, ct);
            var entry = PostingRules.CashDeposit(r.OrgId, "dp-" + receiptId.ToString(CultureInfo.InvariantCulture), VietnamTime.DateOf(now), deposited,
                $"Tiền mặt nộp vào tài khoản (khoản thu #{receiptId})");
            await LedgerStore.PostBatch(conn, [entry], request.RequestId, ct);
            var answer = new ActionResult(receiptId, balance.Status.ToCode(), balance.Amount.Dong, balance.InSuspense.Dong);
            await Finish(conn, tx, r, "receipt.confirm_deposit", answer, new { amount = deposited.Dong }, actor, actionKey, now, ct);
            return answer;
        }, ct);
    }

    /// <summary>A member paid the treasurer in cash: a receipt of the organization, allocated oldest first, the rest the member's credit.</summary>
    public async Task<Outcome<ActionResult>> RecordCash(long orgId, string orgPath, string? memberNo, long? amount, DateOnly? receivedOn, string? note,
        string? key, Actor actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(memberNo) || memberNo.Length > 20)
        {
            errors["memberNo"] = ["Cần số thẻ đảng viên."];
        }
        if (amount is not > 0 || amount >= 1_000_000_000_000)
        {
            errors["amount"] = ["Số tiền phải là số nguyên đồng lớn hơn 0."];
        }
        var today = VietnamTime.Today(clock);
        var on = receivedOn ?? today;
        if (on > today || on < Period.FirstOnSystem.FirstDay)
        {
            errors["receivedOn"] = ["Ngày thu không được ở tương lai hoặc trước tháng 8/2026."];
        }
        if (note is { Length: > MaxNoteLength })
        {
            errors["note"] = [$"Ghi chú tối đa {MaxNoteLength} ký tự."];
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        string actionKey = key ?? Hash("cash", orgId, [memberNo!.Trim(), amount!.Value.ToString(CultureInfo.InvariantCulture), on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), note ?? ""]);
        // The receipt is in the month of the day the cash was taken: made first if this is its first receipt, outside the
        // transaction (nothing when the month is known to exist).
        await partitions.Ensure([Period.Containing(on)], ct);
        return await InTransaction(async (conn, tx) =>
        {
            if (await Claim(conn, tx, orgId, "cash", actionKey, null, actor, ct) is { } earlier)
            {
                return earlier;
            }
            long? memberId;
            await using (var find = new NpgsqlCommand("select id from members where member_no = @no", conn, tx))
            {
                find.Parameters.AddWithValue("no", memberNo!.Trim());
                memberId = await find.ExecuteScalarAsync(ct) as long?;
            }
            if (memberId is null)
            {
                return Refusal.Field("memberNo", "Không tìm thấy đảng viên có số thẻ này.");
            }
            var statements = await ReceiptBooking.Outstanding(conn, tx, memberId.Value, ct);
            bool collectsHere = statements.Exists(s => s.OrgId == orgId) || await PaysHere(conn, tx, memberId.Value, orgId, today, ct);
            if (!collectsHere)
            {
                return Refusal.Rule("member_not_collected_here", "Đảng viên này không nộp đảng phí tại tổ chức này.");
            }
            var money = Money.Vnd(amount!.Value);
            var allocation = Allocator.Allocate(money, orgId, statements);
            var now = clock.GetUtcNow();
            var balance = new ReceiptBalance(money, allocation.Allocated, allocation.Credit, Money.Zero);
            ReceiptBooking.ReceiptKey key;
            await using (var insert = new NpgsqlCommand("""
                insert into receipts (province_id, org_id, source, amount, allocated, credited, status, content, member_id, resolution, note,
                                      booked_at, booking_date, period, recorded_by, created_at, updated_at)
                values ((select province_id from orgs where id = @org), @org, 'cash', @amount, @allocated, @credited, @status, @content, @member, 'cash', @note,
                        @booked, @date, @period, @by, @now, @now)
                returning id, province_id
                """, conn, tx))
            {
                insert.Parameters.AddWithValue("org", orgId);
                insert.Parameters.AddWithValue("amount", money.Dong);
                insert.Parameters.AddWithValue("allocated", balance.Allocated.Dong);
                insert.Parameters.AddWithValue("credited", balance.Credited.Dong);
                insert.Parameters.AddWithValue("status", balance.Status.ToCode());
                insert.Parameters.AddWithValue("content", "Thu tiền mặt" + (string.IsNullOrWhiteSpace(note) ? "" : ": " + Clean(note)));
                insert.Parameters.AddWithValue("member", memberId.Value);
                insert.Parameters.AddWithValue("note", (object?)note ?? DBNull.Value);
                insert.Parameters.AddWithValue("booked", VietnamTime.StartOf(on).ToUniversalTime());
                insert.Parameters.AddWithValue("date", on);
                insert.Parameters.AddWithValue("period", ReceiptBooking.PeriodOf(on));
                insert.Parameters.AddWithValue("by", actor.Username);
                insert.Parameters.AddWithValue("now", now);
                await using var read = await insert.ExecuteReaderAsync(ct);
                await read.ReadAsync(ct);
                key = new ReceiptBooking.ReceiptKey(read.GetInt64(0), read.GetInt64(1), ReceiptBooking.PeriodOf(on));
            }
            long receiptId = key.Id;
            if (allocation.Allocations.Count > 0)
            {
                await ReceiptBooking.ApplyAllocations(conn, tx, key, allocation.Allocations, "auto", actor.Username, now, ct);
            }
            var entry = PostingRules.CashReceipt(orgId, "cr-" + receiptId.ToString(CultureInfo.InvariantCulture), on, money, allocation.ToLedger(), memberId.Value,
                $"Thu tiền mặt của đảng viên {memberNo.Trim()}");
            await LedgerStore.PostBatch(conn, [entry], request.RequestId, ct);
            await paymentReceipts.Issue(conn, tx, receiptId, memberId.Value, actor, actor.Username, ct);
            var answer = new ActionResult(receiptId, balance.Status.ToCode(), money.Dong, balance.InSuspense.Dong);
            var receipt = new LockedReceipt(key, orgId, orgPath, balance);
            await Finish(conn, tx, receipt, "receipt.cash", answer,
                new { memberNo, amount, receivedOn = on, note, allocations = allocation.Allocations.Select(a => new { period = a.Period.ToString(), amount = a.Amount.Dong }) },
                actor, actionKey, now, ct);
            return answer;
        }, ct);
    }

    private sealed record LockedReceipt(ReceiptBooking.ReceiptKey Key, long OrgId, string OrgPath, ReceiptBalance Balance);

    /// <summary>The receipt, locked, if the actor is a treasurer (or admin) of the organization that received it.</summary>
    private static async Task<Outcome<LockedReceipt>> LockReceipt(NpgsqlConnection conn, NpgsqlTransaction tx, long receiptId, Actor actor, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select r.org_id, o.path, r.amount, r.allocated, r.credited, r.refunded, r.deposited, r.province_id, r.period
            from receipts r join orgs o on o.id = r.org_id where r.id = @id for update of r
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", receiptId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return Refusal.NotFound("khoản thu");
        }
        string path = r.GetString(1);
        if (!actor.CanSeeOrgPath(path))
        {
            return Refusal.Forbidden;
        }
        return new LockedReceipt(new ReceiptBooking.ReceiptKey(receiptId, r.GetInt64(7), r.GetFieldValue<DateOnly>(8)), r.GetInt64(0), path,
            new ReceiptBalance(Money.Vnd(r.GetInt64(2)), Money.Vnd(r.GetInt64(3)), Money.Vnd(r.GetInt64(4)), Money.Vnd(r.GetInt64(5)), Money.Vnd(r.GetInt64(6))));
    }

    /// <summary>Claims the key for this action; when it was claimed before, the earlier result (or a conflict while it is still running elsewhere).</summary>
    private static async Task<Outcome<ActionResult>?> Claim(NpgsqlConnection conn, NpgsqlTransaction tx, long orgId, string kind, string key, ReceiptBooking.ReceiptKey? receipt,
        Actor actor, CancellationToken ct)
    {
        await using (var insert = new NpgsqlCommand("""
            insert into treasurer_actions (province_id, org_id, kind, key, receipt_id, receipt_period, created_by, created_at)
            values ((select province_id from orgs where id = @org), @org, @kind, @key, @receipt, @receipt_period, @by, now())
            on conflict (org_id, kind, key, province_id) do nothing returning id
            """, conn, tx))
        {
            insert.Parameters.AddWithValue("org", orgId);
            insert.Parameters.AddWithValue("kind", kind);
            insert.Parameters.AddWithValue("key", key);
            insert.Parameters.AddWithValue("receipt", (object?)receipt?.Id ?? DBNull.Value);
            insert.Parameters.Add(new NpgsqlParameter("receipt_period", NpgsqlTypes.NpgsqlDbType.Date) { Value = (object?)receipt?.Period ?? DBNull.Value });
            insert.Parameters.AddWithValue("by", actor.Username);
            if (await insert.ExecuteScalarAsync(ct) is long)
            {
                return null;
            }
        }
        await using var read = new NpgsqlCommand("select result from treasurer_actions where org_id = @org and kind = @kind and key = @key", conn, tx);
        read.Parameters.AddWithValue("org", orgId);
        read.Parameters.AddWithValue("kind", kind);
        read.Parameters.AddWithValue("key", key);
        var json = await read.ExecuteScalarAsync(ct) as string;
        return json is null
            ? Refusal.Conflict("in_progress", "Thao tác này đang được thực hiện.")
            : (Outcome<ActionResult>)JsonSerializer.Deserialize<ActionResult>(json, AuditEntry.Json)!;
    }

    private async Task Finish(NpgsqlConnection conn, NpgsqlTransaction tx, LockedReceipt r, string action, ActionResult answer, object details, Actor actor,
        string key, DateTimeOffset now, CancellationToken ct)
    {
        await using (var save = new NpgsqlCommand("""
            update treasurer_actions set result = @result, receipt_id = @receipt, receipt_period = @receipt_period where org_id = @org and key = @key and result is null
            """, conn, tx))
        {
            save.Parameters.Add(new NpgsqlParameter("result", NpgsqlTypes.NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(answer, AuditEntry.Json) });
            save.Parameters.AddWithValue("receipt", answer.ReceiptId);
            save.Parameters.AddWithValue("receipt_period", r.Key.Period);
            save.Parameters.AddWithValue("org", r.OrgId);
            save.Parameters.AddWithValue("key", key);
            await save.ExecuteNonQueryAsync(ct);
        }
        await audit.Copy(conn, actor, [AuditEntry.Of(action, "receipt", answer.ReceiptId.ToString(CultureInfo.InvariantCulture),
            new { status = r.Balance.Status.ToCode(), inSuspense = r.Balance.InSuspense.Dong }, new { answer.Status, answer.InSuspense, details }, r.OrgPath)], now, ct);
    }

    private static async Task UpdateReceipt(NpgsqlConnection conn, NpgsqlTransaction tx, ReceiptBooking.ReceiptKey receipt, ReceiptBalance balance, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            update receipts set allocated = @allocated, credited = @credited, refunded = @refunded, deposited = @deposited, status = @status, updated_at = @now
            where id = @id and province_id = @province and period = @period
            """, conn, tx);
        cmd.Parameters.AddWithValue("allocated", balance.Allocated.Dong);
        cmd.Parameters.AddWithValue("credited", balance.Credited.Dong);
        cmd.Parameters.AddWithValue("refunded", balance.Refunded.Dong);
        cmd.Parameters.AddWithValue("deposited", balance.Deposited.Dong);
        cmd.Parameters.AddWithValue("status", balance.Status.ToCode());
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("id", receipt.Id);
        cmd.Parameters.AddWithValue("province", receipt.ProvinceId);
        cmd.Parameters.AddWithValue("period", receipt.Period);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The named statements at <paramref name="orgId"/> that can still take money, locked.</summary>
    private static async Task<Dictionary<(string, Period), OutstandingStatement>> StatementsFor(NpgsqlConnection conn, NpgsqlTransaction tx, long orgId,
        IReadOnlyList<(string MemberNo, Period Period)> wanted, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select s.id, s.member_id, s.period, s.org_id, s.amount, s.paid, s.status, m.member_no
            from dues_statements s join members m on m.id = s.member_id
            join unnest(@nos, @periods) w(member_no, period) on w.member_no = m.member_no and w.period = s.period
            where s.org_id = @org and s.status = any(@outstanding)
            order by s.id
            for update of s
            """, conn, tx);
        cmd.Parameters.AddWithValue("nos", wanted.Select(w => w.MemberNo).ToArray());
        cmd.Parameters.AddWithValue("periods", wanted.Select(w => w.Period.FirstDay).ToArray());
        cmd.Parameters.AddWithValue("org", orgId);
        cmd.Parameters.AddWithValue("outstanding", DuesStatement.OutstandingStatuses.Select(s => s.ToCode()).ToArray());
        var result = new Dictionary<(string, Period), OutstandingStatement>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var period = Period.Containing(r.GetFieldValue<DateOnly>(2));
            DuesStatementStatusCodes.TryParse(r.GetString(6), out var status);
            result[(r.GetString(7), period)] = new OutstandingStatement(r.GetInt64(0), r.GetInt64(1), period, r.GetInt64(3),
                Money.Vnd(r.GetInt64(4)), Money.Vnd(r.GetInt64(5)), status);
        }
        return result;
    }

    private static async Task<bool> PaysHere(NpgsqlConnection conn, NpgsqlTransaction tx, long memberId, long orgId, DateOnly today, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select exists (select 1 from dues_placements_on(@today) where member_id = @m and org_id = @org)", conn, tx);
        cmd.Parameters.AddWithValue("today", today);
        cmd.Parameters.AddWithValue("m", memberId);
        cmd.Parameters.AddWithValue("org", orgId);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<Money> Balance(NpgsqlConnection conn, NpgsqlTransaction tx, long orgId, AccountType type, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select coalesce(sum(amount), 0)::bigint from ledger_postings where org_id = @org and account_type = @type", conn, tx);
        cmd.Parameters.AddWithValue("org", orgId);
        cmd.Parameters.AddWithValue("type", (short)type);
        var debitMinusCredit = Money.Vnd((long)(await cmd.ExecuteScalarAsync(ct))!);
        return type.NormalSide() == Side.Debit ? debitMinusCredit : -debitMinusCredit;
    }

    private async Task<Outcome<ActionResult>> InTransaction(Func<NpgsqlConnection, NpgsqlTransaction, Task<Outcome<ActionResult>>> work, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(ct);
                await using var tx = await conn.BeginTransactionAsync(ct);
                var outcome = await work(conn, tx);
                if (outcome.Succeeded)
                {
                    await tx.CommitAsync(ct);
                }
                return outcome; // a refusal rolls back: nothing changed, the key is free again
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 40 * attempt)), ct);
            }
        }
    }

    /// <summary>A key from what was asked: the same request gives the same key.</summary>
    private static string Hash(string kind, long id, IEnumerable<string> parts)
    {
        string text = kind + "|" + id.ToString(CultureInfo.InvariantCulture) + "|" + string.Join("|", parts);
        return "h:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..40];
    }

    /// <summary>A ledger source id from an action key (short, safe characters).</summary>
    private static string KeyId(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24];

    private static string Clean(string note) => new(note.Where(c => !char.IsControl(c) && c is not (';' or '(' or ')')).Take(200).ToArray());
}

using System.Globalization;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Ledger;
using Fees.Domain.Outcomes;
using Fees.Domain.Remittance;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Fees.Persistence.Ledger;
using Npgsql;

namespace Fees.Persistence.Closing;

/// <summary>A remittance order as office staff and the API see it.</summary>
public sealed record RemittanceOrderView(long Id, string OrgCode, string OrgName, string ParentOrgCode, string ParentOrgName, string Period, long Amount,
    string Reference, string Purpose, string Status, string StatusText, string? BankBin, string? AccountNumber, string? AccountName, string? Payload,
    DateTimeOffset CreatedAt, DateTimeOffset? InstructedAt, DateTimeOffset? PaidAt, DateTimeOffset? ConfirmedAt, DateTimeOffset? CancelledAt, string? CancelReason,
    string OrgPath, string ParentOrgPath);

/// <summary>
/// Remittance orders after a close: the office marks one instructed (ordered at its bank) or paid; the bank feeds move
/// it on their own: the organization's feed reporting the outgoing transfer with the order's <c>DR…</c> reference pays
/// it (<see cref="PostingRules.RemittanceSent"/> in its books), the parent's feed reporting the credit confirms it
/// (<see cref="PostingRules.RemittanceReceipt"/> in the parent's). An order is cancelled only before the money left: the
/// close is reversed (both entries) and reopened, to be redone. Every move goes through
/// <see cref="RemittanceOrderLifecycle"/>, and the database re-checks it.
/// </summary>
public sealed class RemittanceOrders(NpgsqlDataSource dataSource, AuditWriter audit, TimeProvider clock, IRequestContext request)
{
    private const string Select = """
        select r.id, o.code, o.name, p.code, p.name, r.period, r.amount, r.reference, r.purpose, r.status, r.bank_bin, r.account_number, r.account_name,
               r.payload, r.created_at, r.instructed_at, r.paid_at, r.confirmed_at, r.cancelled_at, r.cancel_reason, o.path, p.path,
               r.org_id, r.parent_org_id, r.close_id, r.paid_transaction_id, r.province_id
        from remittance_orders r join orgs o on o.id = r.org_id join orgs p on p.id = r.parent_org_id
        """;

    public async Task<Outcome<RemittanceOrderView>> Get(long orderId, Actor actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var order = await Read(conn, orderId, false, ct);
        if (order is null)
        {
            return Refusal.NotFound("lệnh nộp đảng phí lên cấp trên");
        }
        return actor.CanSeeOrgPath(order.View.OrgPath) || actor.CanSeeOrgPath(order.View.ParentOrgPath) ? order.View : Refusal.Forbidden;
    }

    /// <summary>The orders an organization sends (as the child) and receives (as the parent), newest first.</summary>
    public async Task<IReadOnlyList<RemittanceOrderView>> OfOrg(long orgId, int limit, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(Select + " where r.org_id = @org or r.parent_org_id = @org order by r.period desc, r.id desc limit @limit", conn);
        cmd.Parameters.AddWithValue("org", orgId);
        cmd.Parameters.AddWithValue("limit", limit);
        var list = new List<RemittanceOrderView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(ToOrder(r).View);
        }
        return list;
    }

    /// <summary>The office has ordered the transfer at its bank.</summary>
    public Task<Outcome<RemittanceOrderView>> Instruct(long orderId, Actor actor, CancellationToken ct) =>
        Move(orderId, actor, RemittanceOrderTrigger.Instruct, null, ct);

    /// <summary>The office reports that the money left its account (when its own bank feed does not say so).</summary>
    public Task<Outcome<RemittanceOrderView>> MarkPaid(long orderId, Actor actor, CancellationToken ct) =>
        Move(orderId, actor, RemittanceOrderTrigger.Pay, null, ct);

    /// <summary>Withdraws an order whose money has not left: reverses the close in both books and reopens it.</summary>
    public async Task<Outcome<RemittanceOrderView>> Cancel(long orderId, string? reason, Actor actor, CancellationToken ct)
    {
        if (reason is null || reason.Trim().Length is < 5 or > 500 || reason.Any(char.IsControl))
        {
            return Refusal.Field("reason", "Lý do hủy gồm 5–500 ký tự, không có ký tự điều khiển.");
        }
        return await Move(orderId, actor, RemittanceOrderTrigger.Cancel, reason.Trim(), ct);
    }

    private async Task<Outcome<RemittanceOrderView>> Move(long orderId, Actor actor, RemittanceOrderTrigger trigger, string? reason, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var peek = await Read(conn, orderId, false, ct);
        if (peek is null)
        {
            return Refusal.NotFound("lệnh nộp đảng phí lên cấp trên");
        }
        if (!actor.CanSeeOrgPath(peek.View.OrgPath))
        {
            return actor.CanSeeOrgPath(peek.View.ParentOrgPath) ? Refusal.Forbidden : Refusal.NotFound("lệnh nộp đảng phí lên cấp trên");
        }
        if (trigger == RemittanceOrderTrigger.Cancel)
        {
            // As a close does: the organization, then its parent, whose close may be taking this one in.
            await PeriodCloses.Lock(conn, peek.OrgId, ct);
            await PeriodCloses.Lock(conn, peek.ParentOrgId, ct);
        }
        var order = (await Read(conn, orderId, true, ct))!;
        var lifecycle = new RemittanceOrderLifecycle(order.Status);
        if (!lifecycle.CanFire(trigger))
        {
            return Refusal.Conflict("invalid_transition",
                $"Lệnh nộp đang ở trạng thái \"{order.Status.ToVietnamese()}\": không thể {Verb(trigger)}.",
                new Dictionary<string, object?> { ["status"] = order.Status.ToCode() });
        }
        var now = clock.GetUtcNow();
        var today = VietnamTime.Today(clock);
        switch (trigger)
        {
            case RemittanceOrderTrigger.Instruct:
                lifecycle.Instruct();
                break;
            case RemittanceOrderTrigger.Pay:
                lifecycle.Pay();
                await PostSent(conn, order, today, ct);
                break;
            case RemittanceOrderTrigger.Cancel:
                if (await TakenInByParent(conn, order.CloseId, ct))
                {
                    return Refusal.Conflict("parent_already_closed",
                        "Cấp trên đã khóa sổ kỳ có khoản nộp này: cấp trên phải hủy trước khi hủy lệnh nộp.");
                }
                lifecycle.Cancel();
                await ReverseClose(conn, order, today, reason!, ct);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(trigger), trigger, null);
        }
        await Write(conn, order, order.Status, lifecycle.Status, actor.Username, now, reason, null, ct);
        await audit.Copy(conn, actor, [AuditEntry.Of("remittance." + lifecycle.Status.ToCode(), "remittance_order", order.Id.ToString(CultureInfo.InvariantCulture),
            new { status = order.Status.ToCode() }, new { status = lifecycle.Status.ToCode(), reason }, order.View.OrgPath)], now, ct);
        await tx.CommitAsync(ct);
        return (await Read(conn, orderId, false, ct))!.View;
    }

    /// <summary>
    /// Books a bank transaction that carries a remittance reference, inside the booking's transaction; null when it is
    /// not one (no such order, another account, another amount, an order no longer open): the caller then books it as any
    /// other (an incoming one to suspense, for the treasurer). Outgoing from the child's account: paid. Incoming to the
    /// parent's account: paid if nobody said so, then confirmed.
    /// </summary>
    internal async Task<string?> TryBook(NpgsqlConnection conn, long inboxId, long inboxProvinceId, long accountOrgId, bool outgoing, long amount,
        IEnumerable<PaymentReference> references, DateOnly bookingDate, Actor actor, CancellationToken ct)
    {
        var ids = references.Where(r => r.Kind == PaymentReferenceKind.Remittance).Select(r => r.Number).Distinct().ToList();
        if (ids.Count != 1)
        {
            return null;
        }
        var order = await Read(conn, ids[0], true, ct);
        if (order is null || order.View.Amount != amount || (outgoing ? order.OrgId : order.ParentOrgId) != accountOrgId)
        {
            return null;
        }
        var lifecycle = new RemittanceOrderLifecycle(order.Status);
        var now = clock.GetUtcNow();
        if (outgoing)
        {
            if (order.PaidTransactionId is not null || !(lifecycle.CanFire(RemittanceOrderTrigger.Pay) || order.Status is RemittanceOrderStatus.Paid or RemittanceOrderStatus.Confirmed))
            {
                return null;
            }
            if (lifecycle.CanFire(RemittanceOrderTrigger.Pay))
            {
                lifecycle.Pay();
                await PostSent(conn, order, bookingDate, ct);
            }
            await Write(conn, order, order.Status, lifecycle.Status, actor.Username, now, null, (PaidBy: inboxId, ConfirmedBy: (long?)null), ct);
        }
        else
        {
            if (!lifecycle.CanFire(RemittanceOrderTrigger.Pay) && !lifecycle.CanFire(RemittanceOrderTrigger.Confirm))
            {
                return null;
            }
            if (lifecycle.CanFire(RemittanceOrderTrigger.Pay))
            {
                // Nobody said the money left, but it plainly did: paid first (the database allows one step at a time).
                lifecycle.Pay();
                await PostSent(conn, order, bookingDate, ct);
                await Write(conn, order, order.Status, lifecycle.Status, actor.Username, now, null, null, ct);
            }
            var paid = lifecycle.Status;
            lifecycle.Confirm();
            var receipt = PostingRules.RemittanceReceipt(order.ParentOrgId, order.OrgId, "bt-" + inboxId.ToString(CultureInfo.InvariantCulture), bookingDate,
                Period.Parse(order.View.Period), Money.Vnd(order.View.Amount),
                $"Nhận đảng phí {order.View.OrgCode} nộp lên {Period.Parse(order.View.Period).ToDisplayString()} ({order.View.Reference})");
            await LedgerStore.PostBatch(conn, [receipt], request.RequestId, ct);
            await Write(conn, order, paid, lifecycle.Status, actor.Username, now, null, (PaidBy: (long?)null, ConfirmedBy: inboxId), ct);
        }
        await using (var done = new NpgsqlCommand(
            "update bank_transactions set state = 'processed', org_id = @org, processed_at = @now where id = @id and province_id = @province", conn))
        {
            done.Parameters.AddWithValue("province", inboxProvinceId);
            done.Parameters.AddWithValue("org", accountOrgId);
            done.Parameters.AddWithValue("now", now);
            done.Parameters.AddWithValue("id", inboxId);
            await done.ExecuteNonQueryAsync(ct);
        }
        await audit.Copy(conn, actor, [AuditEntry.Of("remittance." + lifecycle.Status.ToCode(), "remittance_order", order.Id.ToString(CultureInfo.InvariantCulture),
            new { status = order.Status.ToCode() }, new { status = lifecycle.Status.ToCode(), bankTransaction = inboxId }, outgoing ? order.View.OrgPath : order.View.ParentOrgPath)],
            now, ct);
        return "matched";
    }

    /// <summary>The status answered for a stored transaction that paid or confirmed an order (a redelivery), else null.</summary>
    internal static async Task<string?> StatusOf(NpgsqlConnection conn, long inboxId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "select 1 from remittance_orders where paid_transaction_id = @id or confirmed_transaction_id = @id limit 1", conn);
        cmd.Parameters.AddWithValue("id", inboxId);
        return await cmd.ExecuteScalarAsync(ct) is null ? null : "matched";
    }

    private async Task PostSent(NpgsqlConnection conn, OrderRow order, DateOnly bookingDate, CancellationToken ct)
    {
        var period = Period.Parse(order.View.Period);
        var sent = PostingRules.RemittanceSent(order.OrgId, order.View.Reference, bookingDate, period, Money.Vnd(order.View.Amount),
            $"Nộp đảng phí lên {order.View.ParentOrgCode} {period.ToDisplayString()} ({order.View.Reference})");
        await LedgerStore.PostBatch(conn, [sent], request.RequestId, ct);
    }

    private async Task ReverseClose(NpgsqlConnection conn, OrderRow order, DateOnly today, string reason, CancellationToken ct)
    {
        int revision;
        await using (var cmd = new NpgsqlCommand("select revision from period_closes where id = @id and province_id = @province", conn))
        {
            cmd.Parameters.AddWithValue("id", order.CloseId);
            cmd.Parameters.AddWithValue("province", order.ProvinceId);
            revision = (int)(await cmd.ExecuteScalarAsync(ct))!;
        }
        string closeId = PostingRules.CloseId(order.OrgId, Period.Parse(order.View.Period), revision);
        var sources = new[] { new EntrySource(SourceKind.PeriodClose, closeId), new EntrySource(SourceKind.ChildPeriodClose, closeId) };
        var found = await LedgerStore.FindOn(conn, sources, ct);
        var reversals = found.Values
            .Select(e => e.Entry.Reverse(new EntrySource(SourceKind.Reversal, "cancel-ro-" + order.Id.ToString(CultureInfo.InvariantCulture) + "/" + e.Entry.Source.KindCode),
                today < e.Entry.BookingDate ? e.Entry.BookingDate : today, "hủy lệnh nộp " + order.View.Reference + ": " + reason))
            .ToList();
        var posted = await LedgerStore.PostBatch(conn, reversals, request.RequestId, ct);
        if (posted.Any(p => p.Status == PostStatus.Rejected))
        {
            throw new InvalidOperationException("The close could not be reversed: " + string.Join("; ", posted.Select(p => p.Reason)));
        }
        await using var reopen = new NpgsqlCommand("""
            update period_closes set status = 'reopened', reopened_by = @by, reopened_at = @now, reopen_reason = @reason
            where id = @id and province_id = @province and status = 'closed'
            """, conn);
        reopen.Parameters.AddWithValue("province", order.ProvinceId);
        reopen.Parameters.AddWithValue("by", "remittance-cancel");
        reopen.Parameters.AddWithValue("now", clock.GetUtcNow());
        reopen.Parameters.AddWithValue("reason", reason);
        reopen.Parameters.AddWithValue("id", order.CloseId);
        if (await reopen.ExecuteNonQueryAsync(ct) != 1)
        {
            throw new InvalidOperationException($"Close {order.CloseId} was not standing.");
        }
    }

    private static async Task<bool> TakenInByParent(NpgsqlConnection conn, long closeId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select exists (select 1 from period_close_children k join period_closes p on p.id = k.parent_close_id
                           where k.child_close_id = @id and p.status = 'closed')
            """, conn);
        cmd.Parameters.AddWithValue("id", closeId);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task Write(NpgsqlConnection conn, OrderRow order, RemittanceOrderStatus from, RemittanceOrderStatus to, string by, DateTimeOffset now,
        string? reason, (long? PaidBy, long? ConfirmedBy)? transactions, CancellationToken ct)
    {
        string column = to switch
        {
            RemittanceOrderStatus.Instructed => "instructed_by = @by, instructed_at = @now",
            RemittanceOrderStatus.Paid => "paid_by = @by, paid_at = coalesce(paid_at, @now)",
            RemittanceOrderStatus.Confirmed => "paid_at = coalesce(paid_at, @now), confirmed_at = @now",
            RemittanceOrderStatus.Cancelled => "cancelled_by = @by, cancelled_at = @now, cancel_reason = @reason",
            _ => throw new ArgumentOutOfRangeException(nameof(to), to, null),
        };
        await using var cmd = new NpgsqlCommand($"""
            update remittance_orders set status = @to, {column},
                   paid_transaction_id = coalesce(paid_transaction_id, @paidBy), confirmed_transaction_id = coalesce(confirmed_transaction_id, @confirmedBy)
            where id = @id and province_id = @province and status = @from
            """, conn);
        long id = order.Id;
        cmd.Parameters.AddWithValue("province", order.ProvinceId);
        cmd.Parameters.AddWithValue("to", to.ToCode());
        cmd.Parameters.AddWithValue("from", from.ToCode());
        cmd.Parameters.AddWithValue("by", by);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("reason", (object?)reason ?? DBNull.Value);
        cmd.Parameters.AddWithValue("paidBy", (object?)transactions?.PaidBy ?? DBNull.Value);
        cmd.Parameters.AddWithValue("confirmedBy", (object?)transactions?.ConfirmedBy ?? DBNull.Value);
        cmd.Parameters.AddWithValue("id", id);
        if (await cmd.ExecuteNonQueryAsync(ct) != 1)
        {
            throw new InvalidOperationException($"Remittance order {id} was not in status {from.ToCode()}.");
        }
    }

    private static string Verb(RemittanceOrderTrigger trigger) => trigger switch
    {
        RemittanceOrderTrigger.Instruct => "lập lệnh chuyển",
        RemittanceOrderTrigger.Pay => "ghi nhận đã chuyển",
        RemittanceOrderTrigger.Confirm => "xác nhận",
        RemittanceOrderTrigger.Cancel => "hủy",
        _ => trigger.ToString(),
    };

    /// <summary>An order as read by its id (a DR reference carries only the id); <paramref name="ProvinceId"/> completes its key and its close's
    /// (co-located), so every later statement names the whole key (docs/scaling.md).</summary>
    private sealed record OrderRow(RemittanceOrderView View, RemittanceOrderStatus Status, long OrgId, long ParentOrgId, long CloseId, long? PaidTransactionId,
        long ProvinceId)
    {
        public long Id => View.Id;
    }

    private static async Task<OrderRow?> Read(NpgsqlConnection conn, long id, bool forUpdate, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Select + " where r.id = @id" + (forUpdate ? " for update of r" : ""), conn);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ToOrder(r) : null;
    }

    private static OrderRow ToOrder(NpgsqlDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        DateTimeOffset? T(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
        var status = RemittanceOrderStatusCodes.Parse(r.GetString(9));
        var view = new RemittanceOrderView(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4),
            Period.Containing(DateOnly.FromDateTime(r.GetDateTime(5))).ToString(), r.GetInt64(6), r.GetString(7).Trim(), r.GetString(8),
            status.ToCode(), status.ToVietnamese(), S(10)?.Trim(), S(11), S(12), S(13), r.GetFieldValue<DateTimeOffset>(14), T(15), T(16), T(17), T(18), S(19),
            r.GetString(20), r.GetString(21));
        long? paidBy = r.IsDBNull(25) ? null : r.GetInt64(25);
        return new OrderRow(view, status, r.GetInt64(22), r.GetInt64(23), r.GetInt64(24), paidBy, r.GetInt64(26));
    }
}

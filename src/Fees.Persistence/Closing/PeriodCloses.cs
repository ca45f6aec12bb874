using System.Globalization;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Ledger;
using Fees.Domain.Organizations;
using Fees.Domain.Outcomes;
using Fees.Domain.Payments;
using Fees.Domain.Remittance;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Fees.Persistence.Ledger;
using Npgsql;

namespace Fees.Persistence.Closing;

/// <summary>What a close answers (CONTRACT: <c>{"collected","retained","remitted","parentOrgCode","remittanceReference","payload"}</c>).</summary>
public sealed record CloseResult(long Collected, long Retained, long Remitted, string? ParentOrgCode, string? RemittanceReference, string? Payload,
    long CloseId, string Period, long OwnCollected, long ReceivedFromChildren, long SubtreeCollected, long Shortfall, string? RuleId, long? RemittanceOrderId);

/// <summary>What a close of a whole subtree did.</summary>
public sealed record CascadeResult(string Period, int Closed, int AlreadyClosed, int NotDue, IReadOnlyList<CascadeRefusal> Refused);

/// <summary>An organization the cascade could not close, and why.</summary>
public sealed record CascadeRefusal(string OrgCode, string Code, string Reason);

/// <summary>
/// An organization's close of a period (<c>POST /api/orgs/{org}/periods/{period}/close</c>), in one transaction under
/// the organization's and its parent's locks: checks the gate (<see cref="CloseGate"/>: the period is over, the cadence
/// closes it, every child closed or was waived), sweeps what is open on its collection accounts for that period and
/// earlier ones, splits it by the retention rule in force (<see cref="PeriodClose.Compute"/>), posts the two entries
/// (<see cref="PostingRules.PeriodClose(long, long?, Period, DateOnly, CloseSplit, CloseSweep, int)"/>), records the close
/// and the children's closes it took in, creates the remittance order with its VietQR, and audits it.
/// </summary>
/// <remarks>
/// Dues paid for a month after that month's close stay on its collection account until the organization's next close
/// sweeps them (the S01/ĐP book's "truy thu các tháng trước"): a close, once made, never changes.
/// </remarks>
public sealed partial class PeriodCloses(NpgsqlDataSource dataSource, AuditWriter audit, IVietQrEncoder qr, TimeProvider clock, IRequestContext request)
{
    /// <summary>The advisory lock class of closes (<c>pg_advisory_xact_lock(class, org id)</c>): 'Clos'.</summary>
    internal const int LockClass = 0x436C6F73;

    public Task<Outcome<CloseResult>> Close(long orgId, Period period, Actor actor, CancellationToken ct) => Close(orgId, period, actor, null, ct);

    /// <param name="policy">The retention policy, when the caller already read it (a cascade reads it once: a rule only
    /// ever takes effect from a period that has not begun, so it cannot change under a close of a past period).</param>
    private async Task<Outcome<CloseResult>> Close(long orgId, Period period, Actor actor, RetentionPolicy? policy, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var result = await CloseOn(conn, orgId, period, actor, policy, ct);
        if (result.Succeeded)
        {
            await tx.CommitAsync(ct);
        }
        return result;
    }

    /// <summary>One organization's close inside the caller's transaction (the office's button; the reference the batch close is tested against).</summary>
    internal async Task<Outcome<CloseResult>> CloseOn(NpgsqlConnection conn, long orgId, Period period, Actor actor, RetentionPolicy? policy, CancellationToken ct)
    {
        var org = await OrgRow.Read(conn, orgId, ct) ?? throw new InvalidOperationException($"Organization {orgId} does not exist.");
        // Child before parent, always upward: a close and its parent's close serialize, and no cycle of waits can form.
        await Lock(conn, org.Id, ct);
        if (org.ParentId is { } parentId)
        {
            await Lock(conn, parentId, ct, shared: true);
        }
        return await CloseLocked(conn, org, period, actor, policy, ct);
    }

    /// <summary>
    /// The organization's close lock for this transaction: exclusive for its own close (and cancelling its order),
    /// shared when a child closes under it (siblings close side by side; the parent's own close waits for them, and they
    /// for it). Always taken child first, then parent: upward only, so no cycle of waits can form.
    /// </summary>
    internal static async Task Lock(NpgsqlConnection conn, long orgId, CancellationToken ct, bool shared = false)
    {
        await using var cmd = new NpgsqlCommand(shared ? "select pg_advisory_xact_lock_shared(@class, @org)" : "select pg_advisory_xact_lock(@class, @org)", conn);
        cmd.Parameters.AddWithValue("class", LockClass);
        cmd.Parameters.AddWithValue("org", checked((int)orgId));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task<Outcome<CloseResult>> CloseLocked(NpgsqlConnection conn, OrgRow org, Period period, Actor actor, RetentionPolicy? policy,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cadence = await CadenceOf(conn, org.Id, ct);
        var latest = await LatestClose(conn, org.Id, ct);
        var children = await ChildStates(conn, org.Id, period, ct);
        var gate = CloseGate.MayClose(period, VietnamTime.CurrentPeriod(clock), cadence, latest, children);
        if (!gate.Succeeded)
        {
            return gate.Refusal;
        }

        var sweep = await OpenCollections(conn, org.Id, period, ct);
        var included = await ChildClosesToTakeIn(conn, org.Id, period, ct);
        var own = Money.Sum(sweep.Own.Select(a => a.Amount));
        var received = Money.Sum(sweep.Received.Select(a => a.Amount));
        var fromChildren = Money.Sum(included.Select(c => c.Remitted));
        if (received != fromChildren)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Organization {org.Id}: remittances received on the books ({received}) differ from its children's closes ({fromChildren})."));
        }
        var subtree = own + Money.Sum(included.Select(c => c.Subtree));

        RetentionRule? rule = null;
        if (org.ParentId is { } parentId)
        {
            policy ??= await RetentionRules.Policy(conn, ct);
            rule = policy.RuleFor(new OrgLink(org.Id, org.Kind, org.Setting, parentId, org.ParentKind!.Value), period);
            if (rule is null)
            {
                return Refusal.Rule("no_retention_rule",
                    $"Chưa có quy định tỷ lệ trích giữ lại cho {org.Kind.ToVietnamese().ToLowerInvariant()} trực thuộc {org.ParentKind.Value.ToVietnamese().ToLowerInvariant()} ở {period.ToDisplayString()}.");
            }
        }
        var split = PeriodClose.Compute(own, received, subtree, rule);
        int revision = await NextRevision(conn, org.Id, period, ct);
        var today = VietnamTime.Today(clock);
        var entries = PostingRules.PeriodClose(org.Id, org.ParentId, period, today, split, sweep, revision);

        long closeId, closeProvince;
        await using (var insert = new NpgsqlCommand("""
            insert into period_closes (province_id, org_id, period, revision, parent_org_id, cadence, own_collected, received_from_children, subtree_collected,
                                       retained, remitted, shortfall, rule_id, status, closed_by, closed_at, request_id)
            values ((select province_id from orgs where id = @org), @org, @period, @revision, @parent, @cadence, @own, @received, @subtree, @retained, @remitted, @shortfall, @rule, 'closed', @by, @now, @request)
            on conflict (org_id, period, province_id) where status = 'closed' do nothing
            returning id, province_id
            """, conn))
        {
            insert.Parameters.AddWithValue("org", org.Id);
            insert.Parameters.AddWithValue("period", period.FirstDay);
            insert.Parameters.AddWithValue("revision", revision);
            insert.Parameters.AddWithValue("parent", (object?)org.ParentId ?? DBNull.Value);
            insert.Parameters.AddWithValue("cadence", cadence.ToCode());
            insert.Parameters.AddWithValue("own", split.OwnCollected.Dong);
            insert.Parameters.AddWithValue("received", split.ReceivedFromChildren.Dong);
            insert.Parameters.AddWithValue("subtree", subtree.Dong);
            insert.Parameters.AddWithValue("retained", split.Retained.Dong);
            insert.Parameters.AddWithValue("remitted", split.Remitted.Dong);
            insert.Parameters.AddWithValue("shortfall", split.Shortfall.Dong);
            insert.Parameters.AddWithValue("rule", (object?)split.RuleId ?? DBNull.Value);
            insert.Parameters.AddWithValue("by", actor.Username);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("request", (object?)request.RequestId ?? DBNull.Value);
            await using var r = await insert.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return Refusal.Conflict("already_closed", $"Tổ chức đã khóa sổ {period.ToDisplayString()}.");
            }
            // The close's whole key: its children and its order name it without reading the close back.
            (closeId, closeProvince) = (r.GetInt64(0), r.GetInt64(1));
        }
        if (included.Count > 0)
        {
            await using var link = new NpgsqlCommand(
                "insert into period_close_children (province_id, parent_close_id, child_close_id) select @province, @parent, unnest(@children)", conn);
            link.Parameters.AddWithValue("province", closeProvince);
            link.Parameters.AddWithValue("parent", closeId);
            link.Parameters.AddWithValue("children", included.Select(c => c.CloseId).ToArray());
            await link.ExecuteNonQueryAsync(ct);
        }
        var toPost = new[] { entries.Own, entries.AtParent }.OfType<JournalEntry>().ToList();
        if (toPost.Count > 0)
        {
            var posted = await LedgerStore.PostBatch(conn, toPost, request.RequestId, ct);
            if (posted.Any(p => p.Status != PostStatus.Posted))
            {
                throw new InvalidOperationException($"The close {closeId} was already in the books: {string.Join("; ", posted.Select(p => p.Status + " " + p.Reason))}.");
            }
        }

        long? orderId = null;
        string? reference = null, payload = null;
        if (split.Remitted.IsPositive)
        {
            (orderId, reference, payload) = await CreateOrder(conn, closeId, closeProvince, org, period, split.Remitted, actor, now, ct);
        }
        await audit.Copy(conn, actor, [AuditEntry.Of("period.close", "org", org.Code, null, new
        {
            period = period.ToString(), revision, cadence = cadence.ToCode(), ownCollected = split.OwnCollected.Dong,
            receivedFromChildren = split.ReceivedFromChildren.Dong, subtreeCollected = subtree.Dong, retained = split.Retained.Dong,
            remitted = split.Remitted.Dong, shortfall = split.Shortfall.Dong, ruleId = split.RuleId, closeId, remittanceOrderId = orderId,
            childCloses = included.Select(c => c.CloseId),
            swept = sweep.Own.Select(a => new { period = a.Period.ToString(), amount = a.Amount.Dong }),
        }, org.Path)], now, ct);

        return new CloseResult(split.Collected.Dong, split.Retained.Dong, split.Remitted.Dong, org.ParentCode, reference, payload,
            closeId, period.ToString(), split.OwnCollected.Dong, split.ReceivedFromChildren.Dong, subtree.Dong, split.Shortfall.Dong, split.RuleId, orderId);
    }

    private async Task<(long Id, string Reference, string? Payload)> CreateOrder(NpgsqlConnection conn, long closeId, long closeProvince, OrgRow org, Period period,
        Money amount, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        long id;
        await using (var next = new NpgsqlCommand("select nextval(pg_get_serial_sequence('remittance_orders', 'id'))", conn))
        {
            id = (long)(await next.ExecuteScalarAsync(ct))!;
        }
        var reference = PaymentReference.ForRemittance(id);
        string purpose = PaymentReference.Purpose(reference, [period]);
        // A code carries at most what one NAPAS 247 transfer may (below 500 million đồng); a larger remittance is ordered at the bank by hand.
        string? payload = org.ParentBankBin is not null && org.ParentBankAccount is not null && amount < PaymentLimits.Napas247Ceiling
            ? qr.Dynamic(org.ParentBankBin, org.ParentBankAccount, amount, purpose)
            : null;
        await using var insert = new NpgsqlCommand("""
            insert into remittance_orders (province_id, id, close_id, org_id, parent_org_id, period, amount, reference, purpose, bank_bin, account_number, account_name,
                                           payload, status, created_by, created_at)
            values (@province, @id, @close, @org, @parent, @period, @amount, @reference, @purpose, @bin, @account, @name, @payload, @created, @by, @now)
            """, conn);
        insert.Parameters.AddWithValue("id", id);
        insert.Parameters.AddWithValue("close", closeId);
        insert.Parameters.AddWithValue("province", closeProvince);
        insert.Parameters.AddWithValue("org", org.Id);
        insert.Parameters.AddWithValue("parent", org.ParentId!.Value);
        insert.Parameters.AddWithValue("period", period.FirstDay);
        insert.Parameters.AddWithValue("amount", amount.Dong);
        insert.Parameters.AddWithValue("reference", reference.Value);
        insert.Parameters.AddWithValue("purpose", purpose);
        insert.Parameters.AddWithValue("bin", (object?)org.ParentBankBin ?? DBNull.Value);
        insert.Parameters.AddWithValue("account", (object?)org.ParentBankAccount ?? DBNull.Value);
        insert.Parameters.AddWithValue("name", (object?)org.ParentBankAccountName ?? DBNull.Value);
        insert.Parameters.AddWithValue("payload", (object?)payload ?? DBNull.Value);
        insert.Parameters.AddWithValue("created", RemittanceOrderStatus.Created.ToCode());
        insert.Parameters.AddWithValue("by", actor.Username);
        insert.Parameters.AddWithValue("now", now);
        await insert.ExecuteNonQueryAsync(ct);
        return (id, reference.Value, payload);
    }

    /// <summary>The parent's office lets it close without a child that cannot (no treasurer yet, dissolved…), with a reason.</summary>
    public async Task<Outcome<Done>> Waive(long childOrgId, Period period, string? reason, Actor actor, CancellationToken ct)
    {
        if (reason is null || reason.Trim().Length is < 5 or > 500 || reason.Any(char.IsControl))
        {
            return Refusal.Field("reason", "Lý do miễn khóa sổ gồm 5–500 ký tự, không có ký tự điều khiển.");
        }
        if (period < Period.FirstOnSystem || period >= VietnamTime.CurrentPeriod(clock))
        {
            return Refusal.Rule("period_not_over", $"Chỉ miễn khóa sổ cho kỳ đã kết thúc, từ {Period.FirstOnSystem.ToDisplayString()}.");
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var org = await OrgRow.Read(conn, childOrgId, ct) ?? throw new InvalidOperationException($"Organization {childOrgId} does not exist.");
        if (org.ParentId is null)
        {
            return Refusal.Rule("no_parent", "Tổ chức cao nhất không có cấp trên để miễn khóa sổ.");
        }
        if (!actor.CanSeeOrgPath(org.ParentPath!))
        {
            return Refusal.Forbidden;
        }
        await using (var insert = new NpgsqlCommand("""
            insert into period_close_waivers (province_id, org_id, period, reason, waived_by, waived_at)
            values ((select province_id from orgs where id = @org), @org, @period, @reason, @by, @now)
            on conflict (org_id, period, province_id) do nothing
            """, conn))
        {
            insert.Parameters.AddWithValue("org", org.Id);
            insert.Parameters.AddWithValue("period", period.FirstDay);
            insert.Parameters.AddWithValue("reason", reason.Trim());
            insert.Parameters.AddWithValue("by", actor.Username);
            insert.Parameters.AddWithValue("now", clock.GetUtcNow());
            if (await insert.ExecuteNonQueryAsync(ct) == 0)
            {
                return Refusal.Conflict("already_waived", $"Tổ chức đã được miễn khóa sổ {period.ToDisplayString()}.");
            }
        }
        await audit.Copy(conn, actor, [AuditEntry.Of("period.waive", "org", org.Code, null, new { period = period.ToString(), reason = reason.Trim() }, org.Path)],
            clock.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return Done.Value;
    }

    /// <summary>Sets how often an organization closes (monthly or quarterly); takes effect at its next close.</summary>
    public async Task<Outcome<Done>> SetCadence(long orgId, string? cadence, Actor actor, CancellationToken ct)
    {
        if (!CloseCadences.TryParse(cadence, out var value))
        {
            return Refusal.Field("cadence", "Chu kỳ khóa sổ là 'monthly' (hằng tháng) hoặc 'quarterly' (hằng quý).");
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var org = await OrgRow.Read(conn, orgId, ct) ?? throw new InvalidOperationException($"Organization {orgId} does not exist.");
        await Lock(conn, org.Id, ct);
        var before = await CadenceOf(conn, org.Id, ct);
        await using (var upsert = new NpgsqlCommand("""
            insert into close_cadences (org_id, cadence, set_by, set_at) values (@org, @cadence, @by, @now)
            on conflict (org_id) do update set cadence = excluded.cadence, set_by = excluded.set_by, set_at = excluded.set_at
            """, conn))
        {
            upsert.Parameters.AddWithValue("org", org.Id);
            upsert.Parameters.AddWithValue("cadence", value.ToCode());
            upsert.Parameters.AddWithValue("by", actor.Username);
            upsert.Parameters.AddWithValue("now", clock.GetUtcNow());
            await upsert.ExecuteNonQueryAsync(ct);
        }
        await audit.Copy(conn, actor, [AuditEntry.Of("period.cadence", "org", org.Code, new { cadence = before.ToCode() }, new { cadence = value.ToCode() }, org.Path)],
            clock.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return Done.Value;
    }

    internal static async Task<CloseCadence> CadenceOf(NpgsqlConnection conn, long orgId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select cadence from close_cadences where org_id = @org", conn);
        cmd.Parameters.AddWithValue("org", orgId);
        return await cmd.ExecuteScalarAsync(ct) is string code ? CloseCadences.Parse(code) : CloseCadence.Monthly;
    }

    private static async Task<Period?> LatestClose(NpgsqlConnection conn, long orgId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select to_char(max(period), 'YYYY-MM') from period_closes where org_id = @org and status = 'closed'", conn);
        cmd.Parameters.AddWithValue("org", orgId);
        return await cmd.ExecuteScalarAsync(ct) is string p ? Period.Parse(p) : null;
    }

    internal static async Task<List<ChildCloseState>> ChildStates(NpgsqlConnection conn, long orgId, Period period, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select o.id, o.code, o.name, coalesce(cc.cadence, 'monthly'),
                   (select max(c.period) from period_closes c where c.org_id = o.id and c.status = 'closed'),
                   exists (select 1 from period_close_waivers w where w.org_id = o.id and w.period = @period)
            from orgs o left join close_cadences cc on cc.org_id = o.id
            where o.parent_id = @org
            order by o.code
            """, conn);
        cmd.Parameters.AddWithValue("org", orgId);
        cmd.Parameters.AddWithValue("period", period.FirstDay);
        var list = new List<ChildCloseState>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new ChildCloseState(r.GetInt64(0), r.GetString(1), r.GetString(2), CloseCadences.Parse(r.GetString(3)),
                r.IsDBNull(4) ? null : Period.Containing(DateOnly.FromDateTime(r.GetDateTime(4))), r.GetBoolean(5)));
        }
        return list;
    }

    /// <summary>The balances still open on the organization's collection accounts of <paramref name="period"/> and before.</summary>
    private static async Task<CloseSweep> OpenCollections(NpgsqlConnection conn, long orgId, Period period, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select account_type, sub_key, sum(credit - debit)::bigint
            from ledger_balances
            where org_id = @org and account_type = any(@types) and sub_key <= @key
            group by account_type, sub_key
            having sum(credit - debit) <> 0
            order by account_type, sub_key
            """, conn);
        cmd.Parameters.AddWithValue("org", orgId);
        cmd.Parameters.AddWithValue("types", new[] { (short)AccountType.DuesCollected, (short)AccountType.RemittancesReceived });
        cmd.Parameters.AddWithValue("key", AccountKey.DuesCollected(orgId, period).SubKey);
        var own = new List<PeriodAmount>();
        var received = new List<PeriodAmount>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var type = (AccountType)r.GetInt16(0);
            var key = AccountKey.FromParts(orgId, type, r.GetInt64(1));
            long balance = r.GetInt64(2);
            if (balance < 0)
            {
                throw new InvalidOperationException($"Account {key.Code} of organization {orgId} has a debit balance of {-balance}: a collection account never does.");
            }
            (type == AccountType.DuesCollected ? own : received).Add(new PeriodAmount(key.Period!.Value, Money.Vnd(balance)));
        }
        return new CloseSweep(own, received);
    }

    private sealed record ChildClose(long CloseId, Money Remitted, Money Subtree);

    /// <summary>Children's standing closes of this period or before that no standing close of ours has taken in yet.</summary>
    private static async Task<List<ChildClose>> ChildClosesToTakeIn(NpgsqlConnection conn, long orgId, Period period, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select c.id, c.remitted, c.subtree_collected
            from period_closes c
            where c.parent_org_id = @org and c.status = 'closed' and c.period <= @period
              and not exists (select 1 from period_close_children k join period_closes p on p.id = k.parent_close_id and p.province_id = k.province_id
                              where k.child_close_id = c.id and p.status = 'closed')
            order by c.id
            """, conn);
        cmd.Parameters.AddWithValue("org", orgId);
        cmd.Parameters.AddWithValue("period", period.FirstDay);
        var list = new List<ChildClose>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new ChildClose(r.GetInt64(0), Money.Vnd(r.GetInt64(1)), Money.Vnd(r.GetInt64(2))));
        }
        return list;
    }

    private static async Task<int> NextRevision(NpgsqlConnection conn, long orgId, Period period, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select coalesce(max(revision), 0) + 1 from period_closes where org_id = @org and period = @period", conn);
        cmd.Parameters.AddWithValue("org", orgId);
        cmd.Parameters.AddWithValue("period", period.FirstDay);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>An organization with what a close needs of its parent.</summary>
internal sealed record OrgRow(long Id, string Code, string Name, string Path, OrgKind Kind, OrgSetting Setting, long? ParentId, string? ParentCode,
    string? ParentPath, OrgKind? ParentKind, string? ParentBankBin, string? ParentBankAccount, string? ParentBankAccountName)
{
    public static async Task<OrgRow?> Read(NpgsqlConnection conn, long orgId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select o.id, o.code, o.name, o.path, o.kind, o.setting, p.id, p.code, p.path, p.kind, p.bank_bin, p.bank_account, p.bank_account_name
            from orgs o left join orgs p on p.id = o.parent_id
            where o.id = @id
            """, conn);
        cmd.Parameters.AddWithValue("id", orgId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? From(r) : null;
    }

    /// <summary>The row at the reader's position (columns as <see cref="Read"/> selects them).</summary>
    public static OrgRow From(NpgsqlDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new OrgRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), ParseKind(r.GetString(4)), ParseSetting(r.GetString(5)),
            r.IsDBNull(6) ? null : r.GetInt64(6), S(7), S(8), r.IsDBNull(9) ? null : ParseKind(r.GetString(9)), S(10)?.Trim(), S(11), S(12));
    }

    private static OrgKind ParseKind(string code) => OrgCodes.TryParseKind(code, out var k) ? k : throw new InvalidOperationException($"Unknown org kind '{code}'.");

    private static OrgSetting ParseSetting(string code) => OrgCodes.TryParseSetting(code, out var s) ? s : throw new InvalidOperationException($"Unknown setting '{code}'.");
}

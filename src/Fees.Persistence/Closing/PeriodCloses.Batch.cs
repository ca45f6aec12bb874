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

public sealed partial class PeriodCloses
{
    /// <summary>The most organizations one <see cref="CloseLevel"/> transaction closes.</summary>
    internal const int LevelChunk = 1_000;

    /// <summary>How many chunks of one depth a cascade closes side by side (each holds one connection; 2 cores).</summary>
    private const int CascadeWorkers = 2;

    /// <summary>
    /// Closes a period for every organization of a subtree that is due and can, children before parents (the month-end
    /// job, and an office closing its whole subtree): one depth at a time, deepest first, each depth in chunks of at
    /// most <see cref="LevelChunk"/> organizations closed by <see cref="CloseLevel"/> (one transaction each, a fixed
    /// number of statements), two chunks side by side. A refused organization (a child missing, no rule) leaves its
    /// ancestors refused too, and is reported. After each depth the close tables' statistics are refreshed
    /// (<c>close_statistics_refresh()</c>), so the next depth is planned on what the last one wrote.
    /// </summary>
    public async Task<CascadeResult> CloseSubtree(string pathPrefix, Period period, Actor actor, CancellationToken ct)
    {
        var orgs = new List<(long Id, long? ParentId, string Code, int Depth)>();
        RetentionPolicy policy;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            await using (var cmd = new NpgsqlCommand("""
                select id, parent_id, code, length(path) - length(replace(path, '/', '')) from orgs where starts_with(path, @prefix)
                """, conn))
            {
                cmd.Parameters.AddWithValue("prefix", pathPrefix);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    orgs.Add((r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.GetString(2), r.GetInt32(3)));
                }
            }
            policy = await RetentionRules.Policy(conn, ct);
        }
        int closed = 0, already = 0, notDue = 0;
        var refused = new System.Collections.Concurrent.ConcurrentBag<CascadeRefusal>();
        foreach (var level in orgs.GroupBy(o => o.Depth).OrderByDescending(g => g.Key))
        {
            // Siblings together (their parent's remittances-received account is written by one chunk), in id order.
            var ordered = level.OrderBy(o => o.ParentId ?? 0).ThenBy(o => o.Id).ToList();
            int size = Math.Clamp((ordered.Count + CascadeWorkers - 1) / CascadeWorkers, 1, LevelChunk);
            var chunks = ordered.Chunk(size).ToList();
            await Parallel.ForEachAsync(chunks, new ParallelOptions { MaxDegreeOfParallelism = CascadeWorkers, CancellationToken = ct }, async (chunk, token) =>
            {
                var outcomes = await CloseChunk(chunk.Select(o => o.Id).ToList(), period, actor, policy, token);
                foreach (var o in chunk)
                {
                    var outcome = outcomes[o.Id];
                    if (outcome.Succeeded)
                    {
                        Interlocked.Increment(ref closed);
                    }
                    else if (outcome.Refusal.Code is "already_closed" or "later_period_closed")
                    {
                        Interlocked.Increment(ref already);
                    }
                    else if (outcome.Refusal.Code == "not_a_close_period")
                    {
                        Interlocked.Increment(ref notDue);
                    }
                    else
                    {
                        refused.Add(new CascadeRefusal(o.Code, outcome.Refusal.Code, outcome.Refusal.Title));
                    }
                }
            });
            await RefreshStatistics(ct);
        }
        return new CascadeResult(period.ToString(), closed, already, notDue, refused.OrderBy(r => r.OrgCode, StringComparer.Ordinal).ToList());
    }

    private async Task<IReadOnlyDictionary<long, Outcome<CloseResult>>> CloseChunk(IReadOnlyList<long> orgIds, Period period, Actor actor,
        RetentionPolicy policy, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(ct);
                await using var tx = await conn.BeginTransactionAsync(ct);
                var outcomes = await CloseLevel(conn, orgIds, period, actor, policy, ct);
                await tx.CommitAsync(ct);
                return outcomes;
            }
            catch (PostgresException e) when (LedgerStore.IsRetryable(e) && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), ct);
            }
        }
    }

    /// <summary>
    /// Refreshes the planner's statistics of the close tables (<c>close_statistics_refresh()</c>, run as their owner):
    /// a cascade grows <c>period_closes</c> and its companions from nothing to hundreds of thousands of rows in minutes,
    /// faster than autovacuum re-analyzes them.
    /// </summary>
    private async Task RefreshStatistics(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("select close_statistics_refresh()", conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Closes a period for organizations of one depth (none the parent of another), inside the caller's transaction,
    /// with the same rules and the same result as <see cref="Close(long, Period, Actor, CancellationToken)"/> for each
    /// (same close rows, children taken in, ledger entries, remittance orders with their <c>DR…</c> references and
    /// VietQR, audit records; the same refusals), but with a fixed number of statements whatever their number: the
    /// organizations are locked (exclusive, in id order) and then their parents (shared, in id order), as the one-by-one
    /// close does for one; their cadences, latest closes, children, open collections and children's closes are read with
    /// one query each; the gate, the split (<see cref="PeriodClose.Compute"/>) and the entries
    /// (<see cref="PostingRules.PeriodClose(long, long?, Period, DateOnly, CloseSplit, CloseSweep, int)"/>) are computed in
    /// memory; then the closes, their children's links, every entry (<c>LedgerStore.PostBatch</c>, one statement, idempotent on
    /// the source id), the orders and the audit records are written with one statement each.
    /// </summary>
    /// <param name="policy">The retention policy, read once by the caller.</param>
    /// <returns>Each organization's outcome.</returns>
    internal async Task<IReadOnlyDictionary<long, Outcome<CloseResult>>> CloseLevel(NpgsqlConnection conn, IReadOnlyList<long> orgIds, Period period,
        Actor actor, RetentionPolicy policy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(orgIds);
        ArgumentNullException.ThrowIfNull(policy);
        var ids = orgIds.Distinct().Order().ToArray();
        var result = new Dictionary<long, Outcome<CloseResult>>();
        if (ids.Length == 0)
        {
            return result;
        }
        if (ids.Length > LevelChunk)
        {
            throw new ArgumentException($"A level close takes at most {LevelChunk} organizations.", nameof(orgIds));
        }
        var orgs = await ReadOrgs(conn, ids, ct);
        if (orgs.Count != ids.Length)
        {
            throw new InvalidOperationException($"Organizations {string.Join(", ", ids.Except(orgs.Keys))} do not exist.");
        }
        if (orgs.Values.Any(o => o.ParentId is { } p && orgs.ContainsKey(p)))
        {
            throw new ArgumentException("A level close takes organizations of one depth: none may be another's parent.", nameof(orgIds));
        }
        // Every organization, then every parent (child before parent, always upward, each in id order): no cycle of waits.
        await LockAll(conn, ids, shared: false, ct);
        await LockAll(conn, orgs.Values.Where(o => o.ParentId is not null).Select(o => o.ParentId!.Value).Distinct().Order().ToArray(), shared: true, ct);

        var now = clock.GetUtcNow();
        var today = VietnamTime.Today(clock);
        var current = VietnamTime.CurrentPeriod(clock);
        var states = await ReadStates(conn, ids, period, ct);
        var children = await ReadChildStates(conn, ids, period, ct);

        // The gate first: only organizations that pass it are swept.
        var passing = new List<OrgRow>();
        foreach (long id in ids)
        {
            var (cadence, latest, _) = states[id];
            var gate = CloseGate.MayClose(period, current, cadence, latest, children.TryGetValue(id, out var list) ? list : []);
            if (gate.Succeeded)
            {
                passing.Add(orgs[id]);
            }
            else
            {
                result[id] = gate.Refusal;
            }
        }
        if (passing.Count == 0)
        {
            return result;
        }
        var sweeps = await ReadOpenCollections(conn, passing.Select(o => o.Id).ToArray(), period, ct);
        var included = await ReadChildClosesToTakeIn(conn, passing.Select(o => o.Id).ToArray(), period, ct);

        var closes = new List<Pending>();
        foreach (var org in passing)
        {
            var sweep = sweeps.TryGetValue(org.Id, out var s) ? s : new CloseSweep([], []);
            var taken = included.TryGetValue(org.Id, out var c) ? c : [];
            var own = Money.Sum(sweep.Own.Select(a => a.Amount));
            var received = Money.Sum(sweep.Received.Select(a => a.Amount));
            var fromChildren = Money.Sum(taken.Select(x => x.Remitted));
            if (received != fromChildren)
            {
                throw new InvalidOperationException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Organization {org.Id}: remittances received on the books ({received}) differ from its children's closes ({fromChildren})."));
            }
            var subtree = own + Money.Sum(taken.Select(x => x.Subtree));
            RetentionRule? rule = null;
            if (org.ParentId is { } parentId)
            {
                rule = policy.RuleFor(new OrgLink(org.Id, org.Kind, org.Setting, parentId, org.ParentKind!.Value), period);
                if (rule is null)
                {
                    result[org.Id] = Refusal.Rule("no_retention_rule",
                        $"Chưa có quy định tỷ lệ trích giữ lại cho {org.Kind.ToVietnamese().ToLowerInvariant()} trực thuộc {org.ParentKind.Value.ToVietnamese().ToLowerInvariant()} ở {period.ToDisplayString()}.");
                    continue;
                }
            }
            var split = PeriodClose.Compute(own, received, subtree, rule);
            var (cadence, _, revision) = states[org.Id];
            var entries = PostingRules.PeriodClose(org.Id, org.ParentId, period, today, split, sweep, revision);
            closes.Add(new Pending(org, cadence, revision, sweep, taken, subtree, split, entries));
        }
        if (closes.Count == 0)
        {
            return result;
        }

        var closeIds = await InsertCloses(conn, closes, period, actor, now, ct);
        foreach (var p in closes)
        {
            if (closeIds.TryGetValue(p.Org.Id, out var close))
            {
                (p.CloseId, p.ProvinceId) = close;
            }
            else
            {
                result[p.Org.Id] = Refusal.Conflict("already_closed", $"Tổ chức đã khóa sổ {period.ToDisplayString()}.");
            }
        }
        closes = closes.Where(p => p.CloseId != 0).ToList();
        if (closes.Count == 0)
        {
            return result;
        }
        if (closes.Any(p => p.Included.Count > 0))
        {
            await using var link = new NpgsqlCommand("""
                insert into period_close_children (province_id, parent_close_id, child_close_id)
                select u.province, u.parent, u.child from unnest(@parents, @children, @provinces) as u(parent, child, province)
                order by u.parent, u.child
                """, conn);
            link.Parameters.AddWithValue("provinces", closes.SelectMany(p => p.Included.Select(_ => p.ProvinceId)).ToArray());
            link.Parameters.AddWithValue("parents", closes.SelectMany(p => p.Included.Select(_ => p.CloseId)).ToArray());
            link.Parameters.AddWithValue("children", closes.SelectMany(p => p.Included.Select(c => c.CloseId)).ToArray());
            await link.ExecuteNonQueryAsync(ct);
        }
        var toPost = closes.SelectMany(p => new[] { p.Entries.Own, p.Entries.AtParent }).OfType<JournalEntry>().ToList();
        if (toPost.Count > 0)
        {
            var posted = await LedgerStore.PostBatch(conn, toPost, request.RequestId, ct);
            if (posted.FirstOrDefault(x => x.Status != PostStatus.Posted) is { } bad)
            {
                throw new InvalidOperationException($"A close was already in the books: {bad.Status} {bad.Entry?.Source} {bad.Reason}.");
            }
        }
        await InsertOrders(conn, closes.Where(p => p.Split.Remitted.IsPositive).ToList(), period, actor, now, ct);
        await audit.Copy(conn, actor, closes.Select(p => AuditEntry.Of("period.close", "org", p.Org.Code, null, new
        {
            period = period.ToString(), revision = p.Revision, cadence = p.Cadence.ToCode(), ownCollected = p.Split.OwnCollected.Dong,
            receivedFromChildren = p.Split.ReceivedFromChildren.Dong, subtreeCollected = p.Subtree.Dong, retained = p.Split.Retained.Dong,
            remitted = p.Split.Remitted.Dong, shortfall = p.Split.Shortfall.Dong, ruleId = p.Split.RuleId, closeId = p.CloseId, remittanceOrderId = p.OrderId,
            childCloses = p.Included.Select(c => c.CloseId),
            swept = p.Sweep.Own.Select(a => new { period = a.Period.ToString(), amount = a.Amount.Dong }),
        }, p.Org.Path)).ToList(), now, ct);

        foreach (var p in closes)
        {
            result[p.Org.Id] = new CloseResult(p.Split.Collected.Dong, p.Split.Retained.Dong, p.Split.Remitted.Dong, p.Org.ParentCode, p.Reference, p.Payload,
                p.CloseId, period.ToString(), p.Split.OwnCollected.Dong, p.Split.ReceivedFromChildren.Dong, p.Subtree.Dong, p.Split.Shortfall.Dong,
                p.Split.RuleId, p.OrderId);
        }
        return result;
    }

    /// <summary>A close computed and about to be written.</summary>
    private sealed class Pending(OrgRow org, CloseCadence cadence, int revision, CloseSweep sweep, List<ChildClose> included, Money subtree, CloseSplit split,
        CloseEntries entries)
    {
        public OrgRow Org { get; } = org;
        public CloseCadence Cadence { get; } = cadence;
        public int Revision { get; } = revision;
        public CloseSweep Sweep { get; } = sweep;
        public List<ChildClose> Included { get; } = included;
        public Money Subtree { get; } = subtree;
        public CloseSplit Split { get; } = split;
        public CloseEntries Entries { get; } = entries;
        public long CloseId { get; set; }
        /// <summary>The close's province: with <see cref="CloseId"/> its whole key, so its children and orders name it without reading it back.</summary>
        public long ProvinceId { get; set; }
        public long? OrderId { get; set; }
        public string? Reference { get; set; }
        public string? Payload { get; set; }
    }

    private static async Task LockAll(NpgsqlConnection conn, long[] orgIds, bool shared, CancellationToken ct)
    {
        if (orgIds.Length == 0)
        {
            return;
        }
        // The ordered subquery feeds the lock calls in id order (offset 0 keeps it from being flattened).
        await using var cmd = new NpgsqlCommand($"""
            select {(shared ? "pg_advisory_xact_lock_shared" : "pg_advisory_xact_lock")}(@class, s.id::int)
            from (select id from unnest(@ids) as u(id) order by id offset 0) s
            """, conn);
        cmd.Parameters.AddWithValue("class", LockClass);
        cmd.Parameters.AddWithValue("ids", orgIds);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<Dictionary<long, OrgRow>> ReadOrgs(NpgsqlConnection conn, long[] ids, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select o.id, o.code, o.name, o.path, o.kind, o.setting, p.id, p.code, p.path, p.kind, p.bank_bin, p.bank_account, p.bank_account_name
            from orgs o left join orgs p on p.id = o.parent_id
            where o.id = any(@ids)
            """, conn);
        cmd.Parameters.AddWithValue("ids", ids);
        var map = new Dictionary<long, OrgRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var row = OrgRow.From(r);
            map[row.Id] = row;
        }
        return map;
    }

    /// <summary>Each organization's cadence, latest standing close and the revision its close of the period would be.</summary>
    private static async Task<Dictionary<long, (CloseCadence Cadence, Period? Latest, int Revision)>> ReadStates(NpgsqlConnection conn, long[] ids,
        Period period, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select u.id, coalesce(cc.cadence, 'monthly'),
                   (select max(c.period) from period_closes c where c.org_id = u.id and c.status = 'closed'),
                   (select coalesce(max(c.revision), 0) + 1 from period_closes c where c.org_id = u.id and c.period = @period)
            from unnest(@ids) as u(id) left join close_cadences cc on cc.org_id = u.id
            """, conn);
        cmd.Parameters.AddWithValue("ids", ids);
        cmd.Parameters.AddWithValue("period", period.FirstDay);
        var map = new Dictionary<long, (CloseCadence, Period?, int)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            map[r.GetInt64(0)] = (CloseCadences.Parse(r.GetString(1)), r.IsDBNull(2) ? null : Period.Containing(r.GetFieldValue<DateOnly>(2)), r.GetInt32(3));
        }
        return map;
    }

    private static async Task<Dictionary<long, List<ChildCloseState>>> ReadChildStates(NpgsqlConnection conn, long[] ids, Period period, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select o.parent_id, o.id, o.code, o.name, coalesce(cc.cadence, 'monthly'),
                   (select max(c.period) from period_closes c where c.org_id = o.id and c.status = 'closed'),
                   exists (select 1 from period_close_waivers w where w.org_id = o.id and w.period = @period)
            from orgs o left join close_cadences cc on cc.org_id = o.id
            where o.parent_id = any(@ids)
            order by o.parent_id, o.code
            """, conn);
        cmd.Parameters.AddWithValue("ids", ids);
        cmd.Parameters.AddWithValue("period", period.FirstDay);
        var map = new Dictionary<long, List<ChildCloseState>>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            long parent = r.GetInt64(0);
            if (!map.TryGetValue(parent, out var list))
            {
                map[parent] = list = [];
            }
            list.Add(new ChildCloseState(r.GetInt64(1), r.GetString(2), r.GetString(3), CloseCadences.Parse(r.GetString(4)),
                r.IsDBNull(5) ? null : Period.Containing(r.GetFieldValue<DateOnly>(5)), r.GetBoolean(6)));
        }
        return map;
    }

    /// <summary>What is still open on each organization's collection accounts of <paramref name="period"/> and before.</summary>
    private static async Task<Dictionary<long, CloseSweep>> ReadOpenCollections(NpgsqlConnection conn, long[] ids, Period period, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select b.org_id, b.account_type, b.sub_key, sum(b.credit - b.debit)::bigint
            from unnest(@ids, @keys) as u(org_id, max_key)
            join ledger_balances b on b.org_id = u.org_id and b.account_type = any(@types) and b.sub_key <= u.max_key
            group by b.org_id, b.account_type, b.sub_key
            having sum(b.credit - b.debit) <> 0
            order by b.org_id, b.account_type, b.sub_key
            """, conn);
        cmd.Parameters.AddWithValue("ids", ids);
        cmd.Parameters.AddWithValue("keys", ids.Select(id => AccountKey.DuesCollected(id, period).SubKey).ToArray());
        cmd.Parameters.AddWithValue("types", new[] { (short)AccountType.DuesCollected, (short)AccountType.RemittancesReceived });
        var map = new Dictionary<long, (List<PeriodAmount> Own, List<PeriodAmount> Received)>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                long orgId = r.GetInt64(0);
                var type = (AccountType)r.GetInt16(1);
                var key = AccountKey.FromParts(orgId, type, r.GetInt64(2));
                long balance = r.GetInt64(3);
                if (balance < 0)
                {
                    throw new InvalidOperationException($"Account {key.Code} of organization {orgId} has a debit balance of {-balance}: a collection account never does.");
                }
                if (!map.TryGetValue(orgId, out var lists))
                {
                    map[orgId] = lists = ([], []);
                }
                (type == AccountType.DuesCollected ? lists.Own : lists.Received).Add(new PeriodAmount(key.Period!.Value, Money.Vnd(balance)));
            }
        }
        return map.ToDictionary(kv => kv.Key, kv => new CloseSweep(kv.Value.Own, kv.Value.Received));
    }

    /// <summary>Each organization's children's standing closes of this period or before that no standing close of its own has taken in yet.</summary>
    private static async Task<Dictionary<long, List<ChildClose>>> ReadChildClosesToTakeIn(NpgsqlConnection conn, long[] ids, Period period, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select c.parent_org_id, c.id, c.remitted, c.subtree_collected
            from period_closes c
            where c.parent_org_id = any(@ids) and c.status = 'closed' and c.period <= @period
              and not exists (select 1 from period_close_children k join period_closes p on p.id = k.parent_close_id and p.province_id = k.province_id
                              where k.child_close_id = c.id and p.status = 'closed')
            order by c.parent_org_id, c.id
            """, conn);
        cmd.Parameters.AddWithValue("ids", ids);
        cmd.Parameters.AddWithValue("period", period.FirstDay);
        var map = new Dictionary<long, List<ChildClose>>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            long parent = r.GetInt64(0);
            if (!map.TryGetValue(parent, out var list))
            {
                map[parent] = list = [];
            }
            list.Add(new ChildClose(r.GetInt64(1), Money.Vnd(r.GetInt64(2)), Money.Vnd(r.GetInt64(3))));
        }
        return map;
    }

    /// <returns>The close key (id, province) of each organization whose close was written (one already standing is left out).</returns>
    private async Task<Dictionary<long, (long Id, long Province)>> InsertCloses(NpgsqlConnection conn, List<Pending> closes, Period period, Actor actor, DateTimeOffset now,
        CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand("""
            insert into period_closes (province_id, org_id, period, revision, parent_org_id, cadence, own_collected, received_from_children, subtree_collected,
                                       retained, remitted, shortfall, rule_id, status, closed_by, closed_at, request_id)
            select o.province_id, u.org_id, @period, u.revision, u.parent_org_id, u.cadence, u.own, u.received, u.subtree, u.retained, u.remitted, u.shortfall, u.rule_id,
                   'closed', @by, @now, @request
            from unnest(@org, @revision, @parent, @cadence, @own, @received, @subtree, @retained, @remitted, @shortfall, @rule)
              as u(org_id, revision, parent_org_id, cadence, own, received, subtree, retained, remitted, shortfall, rule_id)
            join orgs o on o.id = u.org_id
            order by u.org_id
            on conflict (org_id, period, province_id) where status = 'closed' do nothing
            returning org_id, id, province_id
            """, conn);
        insert.Parameters.AddWithValue("period", period.FirstDay);
        insert.Parameters.AddWithValue("org", closes.Select(p => p.Org.Id).ToArray());
        insert.Parameters.AddWithValue("revision", closes.Select(p => p.Revision).ToArray());
        insert.Parameters.Add(new NpgsqlParameter("parent", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint)
        {
            Value = closes.Select(p => p.Org.ParentId).ToArray(),
        });
        insert.Parameters.AddWithValue("cadence", closes.Select(p => p.Cadence.ToCode()).ToArray());
        insert.Parameters.AddWithValue("own", closes.Select(p => p.Split.OwnCollected.Dong).ToArray());
        insert.Parameters.AddWithValue("received", closes.Select(p => p.Split.ReceivedFromChildren.Dong).ToArray());
        insert.Parameters.AddWithValue("subtree", closes.Select(p => p.Subtree.Dong).ToArray());
        insert.Parameters.AddWithValue("retained", closes.Select(p => p.Split.Retained.Dong).ToArray());
        insert.Parameters.AddWithValue("remitted", closes.Select(p => p.Split.Remitted.Dong).ToArray());
        insert.Parameters.AddWithValue("shortfall", closes.Select(p => p.Split.Shortfall.Dong).ToArray());
        insert.Parameters.Add(new NpgsqlParameter("rule", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text)
        {
            Value = closes.Select(p => p.Split.RuleId).ToArray(),
        });
        insert.Parameters.AddWithValue("by", actor.Username);
        insert.Parameters.AddWithValue("now", now);
        insert.Parameters.AddWithValue("request", (object?)request.RequestId ?? DBNull.Value);
        var ids = new Dictionary<long, (long, long)>();
        await using var r = await insert.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            ids[r.GetInt64(0)] = (r.GetInt64(1), r.GetInt64(2));
        }
        return ids;
    }

    /// <summary>The remittance orders of the closes that remit, with their ids drawn first (a <c>DR…</c> reference is made from its order's id).</summary>
    private async Task InsertOrders(NpgsqlConnection conn, List<Pending> remitting, Period period, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        if (remitting.Count == 0)
        {
            return;
        }
        var orderIds = new List<long>(remitting.Count);
        await using (var next = new NpgsqlCommand(
            "select nextval(pg_get_serial_sequence('remittance_orders', 'id')) from generate_series(1, @n) order by 1", conn))
        {
            next.Parameters.AddWithValue("n", remitting.Count);
            await using var r = await next.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                orderIds.Add(r.GetInt64(0));
            }
        }
        var purposes = new string[remitting.Count];
        for (int i = 0; i < remitting.Count; i++)
        {
            var p = remitting[i];
            p.OrderId = orderIds[i];
            var reference = PaymentReference.ForRemittance(orderIds[i]);
            p.Reference = reference.Value;
            purposes[i] = PaymentReference.Purpose(reference, [period]);
            // A code carries at most what one NAPAS 247 transfer may (below 500 million đồng); a larger remittance is ordered at the bank by hand.
            p.Payload = p.Org.ParentBankBin is not null && p.Org.ParentBankAccount is not null && p.Split.Remitted < PaymentLimits.Napas247Ceiling
                ? qr.Dynamic(p.Org.ParentBankBin, p.Org.ParentBankAccount, p.Split.Remitted, purposes[i])
                : null;
        }
        await using var insert = new NpgsqlCommand("""
            insert into remittance_orders (province_id, id, close_id, org_id, parent_org_id, period, amount, reference, purpose, bank_bin, account_number, account_name,
                                           payload, status, created_by, created_at)
            select u.province, u.id, u.close_id, u.org_id, u.parent_org_id, @period, u.amount, u.reference, u.purpose, u.bank_bin, u.account_number, u.account_name,
                   u.payload, @created, @by, @now
            from unnest(@id, @close, @province, @org, @parent, @amount, @reference, @purpose, @bin, @account, @name, @payload)
              as u(id, close_id, province, org_id, parent_org_id, amount, reference, purpose, bank_bin, account_number, account_name, payload)
            order by u.id
            """, conn);
        insert.Parameters.AddWithValue("province", remitting.Select(p => p.ProvinceId).ToArray());
        insert.Parameters.AddWithValue("id", orderIds.ToArray());
        insert.Parameters.AddWithValue("close", remitting.Select(p => p.CloseId).ToArray());
        insert.Parameters.AddWithValue("org", remitting.Select(p => p.Org.Id).ToArray());
        insert.Parameters.AddWithValue("parent", remitting.Select(p => p.Org.ParentId!.Value).ToArray());
        insert.Parameters.AddWithValue("period", period.FirstDay);
        insert.Parameters.AddWithValue("amount", remitting.Select(p => p.Split.Remitted.Dong).ToArray());
        insert.Parameters.AddWithValue("reference", remitting.Select(p => p.Reference!).ToArray());
        insert.Parameters.AddWithValue("purpose", purposes);
        insert.Parameters.Add(Texts("bin", remitting.Select(p => p.Org.ParentBankBin)));
        insert.Parameters.Add(Texts("account", remitting.Select(p => p.Org.ParentBankAccount)));
        insert.Parameters.Add(Texts("name", remitting.Select(p => p.Org.ParentBankAccountName)));
        insert.Parameters.Add(Texts("payload", remitting.Select(p => p.Payload)));
        insert.Parameters.AddWithValue("created", RemittanceOrderStatus.Created.ToCode());
        insert.Parameters.AddWithValue("by", actor.Username);
        insert.Parameters.AddWithValue("now", now);
        await insert.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter Texts(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = values.ToArray() };
}

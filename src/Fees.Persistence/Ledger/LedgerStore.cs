using Fees.Domain.Ledger;
using Fees.Domain.Amounts;
using Fees.Domain.Time;
using Npgsql;
using NpgsqlTypes;
using Fees.Persistence.Database;

namespace Fees.Persistence.Ledger;

/// <summary>What posting one entry did, with the entry now in the books for its source.</summary>
/// <param name="EntryId">The stored entry's id (the original's for a duplicate); null when rejected.</param>
/// <param name="Entry">The entry in the books for that source (the original for a duplicate), or the refused one;
/// null only for a reversal refused because its target is not in the books (there is nothing to reverse).</param>
/// <param name="Reason">Why it was rejected, or, for a duplicate whose content differs from the original, that it does.</param>
public sealed record LedgerPostResult(PostStatus Status, long? EntryId, JournalEntry? Entry, string? Reason = null)
{
    public bool ContentDiffers => Status == PostStatus.Duplicate && Reason is not null;
}

/// <summary>
/// The PostgreSQL books: posts <see cref="JournalEntry"/> values built by <see cref="PostingRules"/>, idempotently by
/// source, and reads them back. The in-memory <see cref="Books"/> is its reference model.
/// </summary>
/// <remarks>
/// <para>Idempotency is the primary key of <c>ledger_sources</c> (source_kind, source_id, province_id): one statement
/// inserts the sources <c>ON CONFLICT DO NOTHING</c>, the entries of the sources it inserted (partitioned by period),
/// their postings and the running balances, so a source delivered twice (even at the
/// same instant) is posted once and the second delivery reads the original back. Never check-then-insert.</para>
/// <para>Running balances are upserted in (org, type, sub_key) order, so concurrent writers never deadlock, into the
/// stripe of their connection (one of 16 rows per account), so writers to one hot account (an organization's bank)
/// rarely wait on each other; a serialization failure or deadlock is retried with jittered
/// backoff, so a caller never sees a lock conflict.</para>
/// <para>Thread-safe; a singleton on the service's one data source.</para>
/// </remarks>
public sealed class LedgerStore
{
    private const int MaxAttempts = 30;
    private readonly NpgsqlDataSource _dataSource;

    public LedgerStore(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
    }

    /// <summary>Posts one entry: <see cref="PostStatus.Posted"/>, <see cref="PostStatus.Duplicate"/> (the original
    /// returned, nothing changed) or <see cref="PostStatus.Rejected"/> (a reversal of something not posted or already reversed).</summary>
    public async Task<LedgerPostResult> Post(JournalEntry entry, string? requestId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (await PostBatch([entry], requestId, ct))[0];
    }

    /// <summary>
    /// Posts entries in one statement (one round trip, one transaction); results in input order. A source repeated
    /// within the batch posts once (later copies are duplicates). A reversal must name an entry posted by an earlier call.
    /// </summary>
    public async Task<IReadOnlyList<LedgerPostResult>> PostBatch(IReadOnlyList<JournalEntry> entries, string? requestId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = await _dataSource.OpenConnectionAsync(ct);
                return await PostBatch(conn, entries, requestId, ct);
            }
            catch (PostgresException e) when (IsRetryable(e) && attempt < MaxAttempts)
            {
                await Task.Delay(Backoff(attempt), ct);
            }
        }
    }

    /// <summary>
    /// Cancels a posted entry with a reversal that names it (<see cref="JournalEntry.Reverse"/>). Rejected when the
    /// target is not in the books, is itself a reversal, or was already reversed under another source.
    /// </summary>
    public async Task<LedgerPostResult> Reverse(EntrySource target, EntrySource reversalSource, DateOnly bookingDate, string reason,
        string? requestId = null, CancellationToken ct = default)
    {
        var original = await Find(target, ct);
        if (original is null)
        {
            return new LedgerPostResult(PostStatus.Rejected, null, null, $"{target} is not in the books.");
        }
        if (original.Value.Entry.Reverses is not null)
        {
            return new LedgerPostResult(PostStatus.Rejected, null, original.Value.Entry,
                "A reversal is not reversed; post the entry again under a new source.");
        }
        if (bookingDate < original.Value.Entry.BookingDate)
        {
            bookingDate = original.Value.Entry.BookingDate;
        }
        return await Post(original.Value.Entry.Reverse(reversalSource, bookingDate, reason), requestId, ct);
    }

    /// <summary>The entry posted for a source, with its id; null when there is none.</summary>
    public async Task<(long Id, JournalEntry Entry)?> Find(EntrySource source, CancellationToken ct = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        var found = await ReadBySource(conn, [source], ct);
        return found.TryGetValue(source, out var e) ? e : null;
    }

    /// <summary>Every entry in the books of <paramref name="orgId"/>, in posting order.</summary>
    public async Task<IReadOnlyList<JournalEntry>> EntriesOf(long orgId, CancellationToken ct = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(SelectEntries + " where e.org_id = @org order by e.id, p.line_no", conn);
        cmd.Parameters.AddWithValue("org", orgId);
        return (await ReadEntries(cmd, ct)).Select(e => e.Entry).ToList();
    }

    /// <summary>
    /// hledger account names for an organization's books that a person can read: member credit by member number
    /// (<c>liabilities:member-credit:0175365500</c>), receivables by the child's code (<c>assets:remittance-receivable:HN.X001</c>);
    /// the default <see cref="AccountKey.HledgerName"/> for everything else or when the member or child is unknown.
    /// </summary>
    public async Task<Func<AccountKey, string>> HledgerNames(long orgId, CancellationToken ct = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand($"""
            select {(int)AccountType.MemberCredit}::smallint, m.id, m.member_no from members m
            where m.id in (select sub_key from ledger_postings where org_id = @org and account_type = {(int)AccountType.MemberCredit})
            union all
            select {(int)AccountType.RemittanceReceivable}::smallint, o.id, o.code from orgs o
            where o.id in (select sub_key from ledger_postings where org_id = @org and account_type = {(int)AccountType.RemittanceReceivable})
            """, conn);
        cmd.Parameters.AddWithValue("org", orgId);
        var names = new Dictionary<(AccountType, long), string>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                names[((AccountType)reader.GetInt16(0), reader.GetInt64(1))] = reader.GetString(2);
            }
        }
        return key => names.TryGetValue((key.Type, key.SubKey), out string? name) ? key.Type.HledgerStem() + ":" + name : key.HledgerName;
    }

    /// <summary>An organization's trial balance as of a booking date (inclusive), summed from its postings.</summary>
    public async Task<TrialBalance> TrialBalance(long orgId, DateOnly asOf, CancellationToken ct = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            select account_type, sub_key,
                   coalesce(sum(amount) filter (where amount > 0), 0)::bigint as debit,
                   coalesce(-sum(amount) filter (where amount < 0), 0)::bigint as credit
            from ledger_postings
            where org_id = @org and booking_date <= @asOf
            group by account_type, sub_key
            """, conn);
        cmd.Parameters.AddWithValue("org", orgId);
        cmd.Parameters.AddWithValue("asOf", asOf);
        var rows = new List<TrialBalanceRow>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var key = AccountKey.FromParts(orgId, (AccountType)reader.GetInt16(0), reader.GetInt64(1));
                var debit = Money.Vnd(reader.GetInt64(2));
                var credit = Money.Vnd(reader.GetInt64(3));
                rows.Add(new TrialBalanceRow(key, debit, credit, key.NormalSide == Side.Debit ? debit - credit : credit - debit));
            }
        }
        rows.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        return new TrialBalance(orgId, asOf, rows.AsReadOnly(), Money.Sum(rows.Select(r => r.Debit)), Money.Sum(rows.Select(r => r.Credit)));
    }

    /// <summary>The posting itself, on an open connection (for callers that post inside their own transaction). Not retried here.</summary>
    public static async Task<IReadOnlyList<LedgerPostResult>> PostBatch(NpgsqlConnection conn, IReadOnlyList<JournalEntry> entries,
        string? requestId, CancellationToken ct)
    {
        var results = new LedgerPostResult?[entries.Count];
        var firstIndex = new Dictionary<EntrySource, int>();
        var toInsert = new List<int>();
        for (int i = 0; i < entries.Count; i++)
        {
            if (firstIndex.TryAdd(entries[i].Source, i))
            {
                toInsert.Add(i);
            }
        }

        // Reversals name their target by id: read the targets (one query) and refuse what Books refuses.
        var reverseIds = new Dictionary<int, long>();
        var targets = toInsert.Where(i => entries[i].Reverses is not null).Select(i => entries[i].Reverses!.Value).Distinct().ToList();
        if (targets.Count > 0)
        {
            var state = await ReadReversalTargets(conn, targets, ct);
            foreach (int i in toInsert.ToList())
            {
                if (entries[i].Reverses is not { } target)
                {
                    continue;
                }
                string? refusal = null;
                if (!state.TryGetValue(target, out var t))
                {
                    refusal = $"{target} is not in the books.";
                }
                else if (t.IsReversal)
                {
                    refusal = "A reversal is not reversed; post the entry again under a new source.";
                }
                else if (t.ReversedBy is { } by && by != entries[i].Source)
                {
                    refusal = $"{target} was already reversed by {by}.";
                }
                else if (t.OrgId != entries[i].OrgId)
                {
                    refusal = $"{target} is in another organization's books.";
                }
                else if (t.Period != entries[i].Period)
                {
                    // JournalEntry.Reverse keeps the period; the reversal's foreign key names it (reversed once per period is once).
                    refusal = $"A reversal is in the period of the entry it reverses ({t.Period}).";
                }
                if (refusal is not null)
                {
                    results[i] = new LedgerPostResult(PostStatus.Rejected, null, entries[i], refusal);
                    toInsert.Remove(i);
                }
                else if (t!.ReversedBy is not null)
                {
                    toInsert.Remove(i); // this very reversal is already posted: read back below as a duplicate
                }
                else
                {
                    reverseIds[i] = t.Id;
                }
            }
        }

        if (toInsert.Count > 0)
        {
            // The entries' months exist before their rows (no DEFAULT partition): once per month and process, cheaply.
            await PeriodPartitions.EnsureMonths(conn, toInsert.Select(i => entries[i].Period), ct);
            foreach (var (index, id) in await Insert(conn, entries, toInsert, reverseIds, requestId, ct))
            {
                results[index] = new LedgerPostResult(PostStatus.Posted, id, entries[index]);
            }
        }

        var missing = Enumerable.Range(0, entries.Count).Where(i => results[i] is null).ToList();
        if (missing.Count > 0)
        {
            var originals = await ReadBySource(conn, missing.Select(i => entries[i].Source).Distinct().ToList(), ct);
            foreach (int i in missing)
            {
                if (originals.TryGetValue(entries[i].Source, out var original))
                {
                    results[i] = new LedgerPostResult(PostStatus.Duplicate, original.Id, original.Entry,
                        original.Entry.SameContentAs(entries[i]) ? null : "Same source, different content: the original entry stands.");
                }
                else
                {
                    // Posted by this very batch (a repeated source): the copy is a duplicate of the first.
                    var first = results[firstIndex[entries[i].Source]]!;
                    results[i] = first.Status == PostStatus.Posted
                        ? new LedgerPostResult(PostStatus.Duplicate, first.EntryId, first.Entry,
                            first.Entry!.SameContentAs(entries[i]) ? null : "Same source, different content: the original entry stands.")
                        : first with { Entry = entries[i] };
                }
            }
        }
        return results.Select(r => r!).ToList();
    }

    private static async Task<List<(int Index, long Id)>> Insert(NpgsqlConnection conn, IReadOnlyList<JournalEntry> entries, List<int> indexes,
        Dictionary<int, long> reverseIds, string? requestId, CancellationToken ct)
    {
        int n = indexes.Count;
        var idx = new int[n];
        var org = new long[n];
        var kind = new short[n];
        var sid = new string[n];
        var date = new DateOnly[n];
        var period = new DateOnly[n];
        var memo = new string[n];
        var reverses = new long?[n];
        var lIdx = new List<int>();
        var lNo = new List<short>();
        var lType = new List<short>();
        var lSub = new List<long>();
        var lAmount = new List<long>();
        for (int k = 0; k < n; k++)
        {
            int i = indexes[k];
            var e = entries[i];
            idx[k] = i;
            org[k] = e.OrgId;
            kind[k] = (short)e.Source.Kind;
            sid[k] = e.Source.Id;
            date[k] = e.BookingDate;
            period[k] = e.Period.FirstDay;
            memo[k] = e.Memo;
            reverses[k] = reverseIds.TryGetValue(i, out long r) ? r : null;
            for (int line = 0; line < e.Lines.Count; line++)
            {
                var l = e.Lines[line];
                lIdx.Add(i);
                lNo.Add(checked((short)(line + 1)));
                lType.Add((short)l.Account.Type);
                lSub.Add(l.Account.SubKey);
                lAmount.Add(l.Signed.Dong);
            }
        }
        await using var cmd = new NpgsqlCommand(InsertSql, conn);
        cmd.Parameters.AddWithValue("idx", idx);
        cmd.Parameters.AddWithValue("org", org);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("sid", sid);
        cmd.Parameters.AddWithValue("bdate", date);
        cmd.Parameters.AddWithValue("period", period);
        cmd.Parameters.AddWithValue("memo", memo);
        cmd.Parameters.Add(new NpgsqlParameter("rev", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = reverses });
        cmd.Parameters.AddWithValue("request", (object?)requestId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("l_idx", lIdx.ToArray());
        cmd.Parameters.AddWithValue("l_no", lNo.ToArray());
        cmd.Parameters.AddWithValue("l_type", lType.ToArray());
        cmd.Parameters.AddWithValue("l_sub", lSub.ToArray());
        cmd.Parameters.AddWithValue("l_amount", lAmount.ToArray());
        var posted = new List<(int, long)>(n);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            posted.Add((reader.GetInt32(0), reader.GetInt64(1)));
        }
        return posted;
    }

    // One statement: the sources (ON CONFLICT on the source does nothing; each new source draws its entry's id), the
    // entries of the sources it inserted, their postings (with the entry's period), the running balances in key order.
    // Sources go in source order so that two batches sharing sources take the index locks in the same order. The
    // entries are partitioned by period, so "a source posts once" is ledger_sources' key (a treasurer's action posts on
    // the day it is made: a retry after midnight at a month's end would compute another period); every entry's foreign
    // key names the source row that names it, checked at the end of this statement. Each entry's province is read by the organization's key (a subquery per
    // entry: as a join, the planner hashed all of orgs for a one-entry posting).
    private const string InsertSql = """
        with input as (
          select * from unnest(@idx::int[], @org::bigint[], @kind::smallint[], @sid::text[], @bdate::date[], @period::date[],
                               @memo::text[], @rev::bigint[])
            as i(idx, org_id, source_kind, source_id, booking_date, period, memo, reverses_entry_id)
        ),
        input_p as (
          select i.*, coalesce((select o.province_id from orgs o where o.id = i.org_id), 0) as province_id from input i
        ),
        lines as (
          select * from unnest(@l_idx::int[], @l_no::smallint[], @l_type::smallint[], @l_sub::bigint[], @l_amount::bigint[])
            as l(idx, line_no, account_type, sub_key, amount)
        ),
        s as (
          insert into ledger_sources (source_kind, source_id, province_id, entry_id, period)
          select source_kind, source_id, province_id, nextval('ledger_entries_id_seq'), period
          from input_p order by source_kind, source_id
          on conflict (source_kind, source_id, province_id) do nothing
          returning source_kind, source_id, province_id, entry_id
        ),
        e as (
          insert into ledger_entries (id, province_id, org_id, source_kind, source_id, booking_date, period, memo, reverses_entry_id, request_id)
          select s.entry_id, i.province_id, i.org_id, i.source_kind, i.source_id, i.booking_date, i.period, i.memo, i.reverses_entry_id, @request::text
          from s join input_p i using (source_kind, source_id, province_id)
          returning id, source_kind, source_id, province_id, period
        ),
        posted as (
          select i.idx, e.id, e.province_id, e.period, i.org_id, i.booking_date from e join input i using (source_kind, source_id)
        ),
        p as (
          insert into ledger_postings (province_id, entry_id, line_no, org_id, account_type, sub_key, amount, booking_date, period)
          select posted.province_id, posted.id, l.line_no, posted.org_id, l.account_type, l.sub_key, l.amount, posted.booking_date, posted.period
          from posted join lines l using (idx)
          returning province_id, org_id, account_type, sub_key, amount
        ),
        b as (
          insert into ledger_balances as b (province_id, org_id, account_type, sub_key, stripe, debit, credit)
          select province_id, org_id, account_type, sub_key, pg_backend_pid() % 16,
                 coalesce(sum(amount) filter (where amount > 0), 0), coalesce(-sum(amount) filter (where amount < 0), 0)
          from p group by province_id, org_id, account_type, sub_key
          order by org_id, account_type, sub_key
          on conflict (org_id, account_type, sub_key, stripe, province_id)
            do update set debit = b.debit + excluded.debit, credit = b.credit + excluded.credit
        )
        select idx, id from posted
        """;

    private const string SelectColumns = """
        select e.id, e.org_id, e.source_kind, e.source_id, e.booking_date, e.period, e.memo, r.source_kind, r.source_id,
               p.account_type, p.sub_key, p.amount
        """;

    // Joined on the whole keys (period included), so each lookup reads one month's partition.
    private const string EntryJoins = """
        left join ledger_entries r on r.id = e.reverses_entry_id and r.province_id = e.province_id and r.period = e.period
        join ledger_postings p on p.entry_id = e.id and p.province_id = e.province_id and p.period = e.period
        """;

    private const string SelectEntries = SelectColumns + "\nfrom ledger_entries e\n" + EntryJoins;

    private sealed record TargetState(long Id, long OrgId, bool IsReversal, EntrySource? ReversedBy, Period Period);

    private static async Task<Dictionary<EntrySource, TargetState>> ReadReversalTargets(NpgsqlConnection conn, List<EntrySource> targets, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select t.id, t.org_id, t.source_kind, t.source_id, t.reverses_entry_id is not null, r.source_kind, r.source_id, t.period
            from unnest(@kind::smallint[], @sid::text[]) as x(source_kind, source_id)
            join ledger_sources s on s.source_kind = x.source_kind and s.source_id = x.source_id
            join ledger_entries t on t.id = s.entry_id and t.province_id = s.province_id and t.period = s.period
            left join ledger_entries r on r.reverses_entry_id = t.id and r.province_id = t.province_id and r.period = t.period
            """, conn);
        cmd.Parameters.AddWithValue("kind", targets.Select(t => (short)t.Kind).ToArray());
        cmd.Parameters.AddWithValue("sid", targets.Select(t => t.Id).ToArray());
        var result = new Dictionary<EntrySource, TargetState>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var source = new EntrySource((SourceKind)reader.GetInt16(2), reader.GetString(3));
            EntrySource? by = reader.IsDBNull(5) ? null : new EntrySource((SourceKind)reader.GetInt16(5), reader.GetString(6));
            result[source] = new TargetState(reader.GetInt64(0), reader.GetInt64(1), reader.GetBoolean(4), by,
                Period.Containing(reader.GetFieldValue<DateOnly>(7)));
        }
        return result;
    }

    /// <summary>The entries posted for these sources, on an open connection (inside the caller's transaction).</summary>
    internal static Task<Dictionary<EntrySource, (long Id, JournalEntry Entry)>> FindOn(NpgsqlConnection conn, IReadOnlyList<EntrySource> sources,
        CancellationToken ct) => ReadBySource(conn, sources, ct);

    private static async Task<Dictionary<EntrySource, (long Id, JournalEntry Entry)>> ReadBySource(NpgsqlConnection conn, IReadOnlyList<EntrySource> sources,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(SelectColumns + "\n" + """
            from unnest(@kind::smallint[], @sid::text[]) as x(source_kind, source_id)
            join ledger_sources s on s.source_kind = x.source_kind and s.source_id = x.source_id
            join ledger_entries e on e.id = s.entry_id and e.province_id = s.province_id and e.period = s.period
            """ + "\n" + EntryJoins + "\n" + """
            order by e.id, p.line_no
            """, conn);
        cmd.Parameters.AddWithValue("kind", sources.Select(t => (short)t.Kind).ToArray());
        cmd.Parameters.AddWithValue("sid", sources.Select(t => t.Id).ToArray());
        return (await ReadEntries(cmd, ct)).ToDictionary(e => e.Entry.Source, e => e);
    }

    /// <summary>Reads rows of <see cref="SelectEntries"/> ordered by entry id and line into entries.</summary>
    internal static async Task<List<(long Id, JournalEntry Entry)>> ReadEntries(NpgsqlCommand cmd, CancellationToken ct)
    {
        var result = new List<(long, JournalEntry)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        long current = 0;
        long orgId = 0;
        EntrySource source = default;
        EntrySource? reverses = null;
        DateOnly date = default;
        Period period = default;
        string memo = "";
        var lines = new List<PostingLine>();
        void Flush()
        {
            if (current != 0)
            {
                result.Add((current, JournalEntry.Restore(source, date, period, lines.ToList(), memo, reverses)));
            }
            lines.Clear();
        }
        while (await reader.ReadAsync(ct))
        {
            long id = reader.GetInt64(0);
            if (id != current)
            {
                Flush();
                current = id;
                orgId = reader.GetInt64(1);
                source = new EntrySource((SourceKind)reader.GetInt16(2), reader.GetString(3));
                date = reader.GetFieldValue<DateOnly>(4);
                period = Period.Containing(reader.GetFieldValue<DateOnly>(5));
                memo = reader.GetString(6);
                reverses = reader.IsDBNull(7) ? null : new EntrySource((SourceKind)reader.GetInt16(7), reader.GetString(8));
            }
            long amount = reader.GetInt64(11);
            var account = AccountKey.FromParts(orgId, (AccountType)reader.GetInt16(9), reader.GetInt64(10));
            lines.Add(amount > 0 ? PostingLine.Debit(account, Money.Vnd(amount)) : PostingLine.Credit(account, Money.Vnd(-amount)));
        }
        Flush();
        return result;
    }

    /// <summary>Lock conflicts a retry resolves: serialization failure, deadlock, and two reversals of one entry racing
    /// (the loser's retry then sees the target reversed and is refused as a value).</summary>
    internal static bool IsRetryable(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected || IsReversedTwice(e);

    /// <summary>Two reversals of one entry raced into <c>ux_ledger_entries_reverses</c>. The entries are partitioned, so the
    /// violation names the month's copy of the index (<c>ledger_entries_p2026_08_reverses_entry_id_…</c>), not the parent's.</summary>
    internal static bool IsReversedTwice(PostgresException e) =>
        e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName is { } name
        && (name == "ux_ledger_entries_reverses"
            || (name.StartsWith("ledger_entries_p", StringComparison.Ordinal) && name.Contains("_reverses_entry_id", StringComparison.Ordinal)));

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * Math.Min(1 << Math.Min(attempt, 6), 64)));

}

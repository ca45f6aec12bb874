using Fees.Domain.Accounts;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Fees.Persistence.Bank;

/// <summary>
/// The bank-feed inbox: every reported transaction is stored exactly once (the database's unique keys, never a
/// check-then-insert), then booked (<see cref="ReceiptBooking"/>). The usual path does both in one transaction; when
/// booking cannot finish, the stored row waits in state <c>accepted</c> for <see cref="Process"/> (a job that takes only
/// the inbox id) or the sweeper (<see cref="ProcessPending"/>). Booking locks the row and checks its state, so a
/// transaction is booked once however many deliveries, jobs and sweeps race. A line whose booking month has no partition
/// yet is booked after the month is made (<see cref="Database.PartitionMonths"/>), never refused.
/// </summary>
public sealed class BankInbox(NpgsqlDataSource dataSource, ReceiptBooking booking, TimeProvider clock, ILogger<BankInbox> log,
    Database.PartitionMonths partitions)
{
    private const int MaxAttempts = 5;

    /// <summary>Stores the transaction and books it in the same transaction; a redelivery answers the original.</summary>
    public async Task<InboxOutcome> Receive(InboxEntry entry, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(ct);
                await using var tx = await conn.BeginTransactionAsync(ct);
                var stored = await Store(conn, tx, entry, ct);
                if (stored.Existing is { } existing)
                {
                    await tx.CommitAsync(ct);
                    return existing with { Duplicate = true };
                }
                var outcome = await booking.Book(conn, tx, stored.Id, actor, ct);
                await tx.CommitAsync(ct);
                return outcome;
            }
            catch (PostgresException e) when (IsRetryable(e) && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct);
            }
            catch (Database.PartitionsMissingException e) when (attempt < MaxAttempts)
            {
                // A line of a month that has no partition yet (ReceiptBooking.Book): rolled back, the month made in a
                // short transaction of its own, and the whole delivery done again.
                await partitions.Ensure(e.Months, ct);
            }
        }
    }

    /// <summary>
    /// Stores the transaction only (booking failed or is left to a job): a redelivery answers the original; a new row
    /// answers <c>accepted</c>.
    /// </summary>
    public async Task<InboxOutcome> StoreOnly(InboxEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var stored = await Store(conn, tx, entry, ct);
        await tx.CommitAsync(ct);
        return stored.Existing is { } existing ? existing with { Duplicate = true } : new InboxOutcome(stored.Id, null, InboxOutcome.Accepted, false);
    }

    /// <summary>
    /// Stores the transaction inside the caller's transaction and books nothing (a history page, stored with its cursor):
    /// a row stored before answers the original (<see cref="InboxOutcome.Duplicate"/>); a new row answers <c>accepted</c>
    /// and waits for <see cref="Process"/> or the sweeper.
    /// </summary>
    public async Task<InboxOutcome> StoreIn(NpgsqlConnection conn, NpgsqlTransaction tx, InboxEntry entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var stored = await Store(conn, tx, entry, ct);
        return stored.Existing is { } existing ? existing with { Duplicate = true } : new InboxOutcome(stored.Id, null, InboxOutcome.Accepted, false);
    }

    /// <summary>Books one stored transaction (a job's work): nothing happens if it is already booked.</summary>
    public async Task<InboxOutcome> Process(long inboxId, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(ct);
                await using var tx = await conn.BeginTransactionAsync(ct);
                var outcome = await booking.Book(conn, tx, inboxId, Actor.System, ct);
                await tx.CommitAsync(ct);
                return outcome;
            }
            catch (PostgresException e) when (IsRetryable(e) && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct);
            }
            catch (Database.PartitionsMissingException e) when (attempt < MaxAttempts)
            {
                // A line of a month that has no partition yet (ReceiptBooking.Book): rolled back, the month made in a
                // short transaction of its own, and the whole delivery done again.
                await partitions.Ensure(e.Months, ct);
            }
        }
    }

    /// <summary>Books what has waited in state <c>accepted</c> longer than <paramref name="olderThan"/> (a process died, a job was lost).</summary>
    /// <returns>How many were booked.</returns>
    public async Task<int> ProcessPending(TimeSpan olderThan, int max, CancellationToken ct)
    {
        var ids = new List<long>();
        await using (var cmd = dataSource.CreateCommand(
            "select id from bank_transactions where state = 'accepted' and received_at < @before order by id limit @max"))
        {
            cmd.Parameters.AddWithValue("before", clock.GetUtcNow() - olderThan);
            cmd.Parameters.AddWithValue("max", max);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                ids.Add(r.GetInt64(0));
            }
        }
        foreach (long id in ids)
        {
            await Process(id, ct);
        }
        if (ids.Count > 0)
        {
            log.LogInformation("Booked {Count} bank transactions left waiting", ids.Count);
        }
        return ids.Count;
    }

    /// <summary>
    /// Books up to <paramref name="max"/> waiting transactions (state <c>accepted</c>, oldest id first) in one
    /// transaction with the set-based <see cref="ReceiptBooking.BookBatch"/> (a backlog: a history import, a sweep after
    /// an outage). Rows another booking holds are skipped, so concurrent calls share the backlog and book each row once;
    /// a call when nothing waits books nothing.
    /// </summary>
    /// <returns>What this call booked, in inbox-id order.</returns>
    public Task<IReadOnlyList<InboxOutcome>> ProcessBatch(int max, CancellationToken ct) => ProcessBatch(max, BacklogLane.All, ct);

    /// <summary>
    /// As <see cref="ProcessBatch(int, CancellationToken)"/>, for the waiting transactions of <paramref name="lane"/>'s
    /// receiving accounts only. Concurrent loops given the lanes of one <see cref="BacklogLane.Count"/> book disjoint
    /// accounts, so they do not wait for each other's organizations (the biên lai counter, the monthly totals) or, for
    /// members who pay into their own organization's account, each other's members' statements.
    /// </summary>
    public async Task<IReadOnlyList<InboxOutcome>> ProcessBatch(int max, BacklogLane lane, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(ct);
                await using var tx = await conn.BeginTransactionAsync(ct);
                var ids = new List<long>(max);
                bool onALane = lane.Count > 1;
                if (onALane)
                {
                    // The planner has no statistics for the lane's hash and guesses that 0.5% of the waiting rows match,
                    // so it would read the whole table and sort it for every batch (210–250 ms a batch on 1,000,000 rows,
                    // growing with the history). Without sequential and bitmap scans it walks the waiting rows' index in
                    // id order and stops at the batch's size (19–39 ms there): docs/performance.md, "lanes".
                    await Execute(conn, tx, "set local enable_seqscan = off; set local enable_bitmapscan = off", ct);
                }
                await using (var cmd = new NpgsqlCommand(onALane
                    ? """
                      select id from bank_transactions
                      where state = 'accepted' and mod(hashtext(account_number)::bigint + 2147483648, @lanes) = @lane
                      order by id limit @max for update skip locked
                      """
                    : "select id from bank_transactions where state = 'accepted' order by id limit @max for update skip locked", conn, tx))
                {
                    cmd.Parameters.AddWithValue("max", max);
                    cmd.Parameters.AddWithValue("lanes", (long)lane.Count);
                    cmd.Parameters.AddWithValue("lane", (long)lane.Index);
                    await using var r = await cmd.ExecuteReaderAsync(ct);
                    while (await r.ReadAsync(ct))
                    {
                        ids.Add(r.GetInt64(0));
                    }
                }
                if (onALane)
                {
                    await Execute(conn, tx, "reset enable_seqscan; reset enable_bitmapscan", ct);
                }
                var outcomes = ids.Count == 0 ? [] : await booking.BookBatch(conn, tx, ids, Actor.System, ct);
                await tx.CommitAsync(ct);
                return outcomes;
            }
            catch (PostgresException e) when (IsRetryable(e) && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct);
            }
            catch (Database.PartitionsMissingException e) when (attempt < MaxAttempts)
            {
                // A line of a month that has no partition yet (ReceiptBooking.Book): rolled back, the month made in a
                // short transaction of its own, and the whole delivery done again.
                await partitions.Ensure(e.Months, ct);
            }
        }
    }

    /// <summary>
    /// Stores and books many notifications in one transaction (the webhooks' group commit: whatever arrived while the
    /// previous batch was being written): one statement stores them all (<c>on conflict do nothing</c>: the database's
    /// unique keys decide what is new, as for one), <see cref="ReceiptBooking.BookBatch"/> books the new rows with the
    /// same result as booking each in turn, and every entry gets the answer it would have got alone: its outcome, or the
    /// original's (<see cref="InboxOutcome.Duplicate"/>) when the transaction was stored before, by an earlier batch, by
    /// another instance, or by an earlier entry of this same batch.
    /// </summary>
    /// <returns>One outcome per entry, in the entries' order.</returns>
    public async Task<IReadOnlyList<InboxOutcome>> ReceiveBatch(IReadOnlyList<InboxEntry> entries, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(actor);
        if (entries.Count == 0)
        {
            return [];
        }
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(ct);
                await using var tx = await conn.BeginTransactionAsync(ct);
                var stored = await StoreBatch(conn, tx, entries, ct);
                var newIds = stored.Where(s => s.Existing is null).Select(s => s.Id).Distinct().ToList();
                var booked = newIds.Count == 0 ? [] : await booking.BookBatch(conn, tx, newIds, actor, ct);
                await tx.CommitAsync(ct);
                var byId = booked.ToDictionary(o => o.InboxId);
                var answered = new HashSet<long>();
                var outcomes = new InboxOutcome[entries.Count];
                for (int i = 0; i < entries.Count; i++)
                {
                    var s = stored[i];
                    if (s.Existing is { } existing)
                    {
                        outcomes[i] = existing;
                        continue;
                    }
                    // A new row booked here; a second entry of this batch for the same row is a redelivery of it.
                    var outcome = byId.TryGetValue(s.Id, out var o) ? o : new InboxOutcome(s.Id, null, InboxOutcome.Accepted, false);
                    outcomes[i] = answered.Add(s.Id) ? outcome : outcome with { Duplicate = true };
                }
                return outcomes;
            }
            catch (PostgresException e) when (IsRetryable(e) && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct);
            }
            catch (Database.PartitionsMissingException e) when (attempt < MaxAttempts)
            {
                // A line of a month that has no partition yet (ReceiptBooking.Book): rolled back, the month made in a
                // short transaction of its own, and the whole delivery done again.
                await partitions.Ensure(e.Months, ct);
            }
        }
    }

    /// <summary>
    /// Stores many entries with one statement; an entry whose transaction was stored before answers the original
    /// (found as <see cref="Store"/> finds it); an entry repeating an earlier entry of the batch gets that entry's row.
    /// </summary>
    private async Task<List<Stored>> StoreBatch(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<InboxEntry> entries, CancellationToken ct)
    {
        var inserted = new Dictionary<(string Provider, string TransactionId), long>();
        await using (var insert = new NpgsqlCommand("""
            insert into bank_transactions (province_id, provider, transaction_id, channel, bank_reference, bank_bin, account_number, sub_account, direction,
                amount, content, raw_description, counterparty_name, counterparty_account, running_balance, booked_at, received_at, raw_body, raw_headers)
            select coalesce((select min(o.province_id) from orgs o where o.bank_account = u.account), 0), u.provider, u.tid, u.channel, u.ref, u.bin, u.account, u.sub, u.direction, u.amount, u.content, u.raw_description, u.cp_name,
                u.cp_account, u.balance, u.booked, @received, u.body, u.headers
            from unnest(@provider, @tid, @channel, @ref, @bin, @account, @sub, @direction, @amount, @content, @raw_description, @cp_name, @cp_account,
                @balance, @booked, @body, @headers) with ordinality
                as u(provider, tid, channel, ref, bin, account, sub, direction, amount, content, raw_description, cp_name, cp_account, balance, booked,
                     body, headers, ord)
            order by u.provider, u.tid, u.ord -- concurrent batches meet their common keys in the same order: no deadlock
            on conflict do nothing
            returning id, provider, transaction_id
            """, conn, tx))
        {
            insert.Parameters.AddWithValue("provider", entries.Select(e => e.Provider).ToArray());
            insert.Parameters.AddWithValue("tid", entries.Select(e => e.TransactionId).ToArray());
            insert.Parameters.AddWithValue("channel", entries.Select(e => e.Channel).ToArray());
            insert.Parameters.AddWithValue("ref", entries.Select(e => e.BankReference).ToArray());
            insert.Parameters.Add(new NpgsqlParameter("bin", NpgsqlDbType.Array | NpgsqlDbType.Char) { Value = entries.Select(e => e.BankBin).ToArray() });
            insert.Parameters.AddWithValue("account", entries.Select(e => e.AccountNumber).ToArray());
            insert.Parameters.AddWithValue("sub", entries.Select(e => e.SubAccount).ToArray());
            insert.Parameters.AddWithValue("direction", entries.Select(e => e.Outgoing ? "out" : "in").ToArray());
            insert.Parameters.AddWithValue("amount", entries.Select(e => e.Amount).ToArray());
            insert.Parameters.AddWithValue("content", entries.Select(e => e.Content).ToArray());
            insert.Parameters.AddWithValue("raw_description", entries.Select(e => e.RawDescription).ToArray());
            insert.Parameters.AddWithValue("cp_name", entries.Select(e => e.CounterpartyName).ToArray());
            insert.Parameters.AddWithValue("cp_account", entries.Select(e => e.CounterpartyAccount).ToArray());
            insert.Parameters.AddWithValue("balance", entries.Select(e => e.RunningBalance).ToArray());
            insert.Parameters.AddWithValue("booked", entries.Select(e => e.BookedAt.ToUniversalTime()).ToArray());
            insert.Parameters.AddWithValue("received", clock.GetUtcNow());
            insert.Parameters.AddWithValue("body", entries.Select(e => e.RawBody).ToArray());
            insert.Parameters.Add(new NpgsqlParameter("headers", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = entries.Select(e => e.RawHeadersJson).ToArray() });
            await using var r = await insert.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                inserted[(r.GetString(1), r.GetString(2))] = r.GetInt64(0);
            }
        }
        var stored = new List<Stored>(entries.Count);
        var claimed = new HashSet<long>();
        foreach (var e in entries)
        {
            if (inserted.TryGetValue((e.Provider, e.TransactionId), out long id))
            {
                // The first entry with this key stored the row; a repeat of it in the batch answers as a redelivery of it.
                claimed.Add(id);
                stored.Add(new Stored(id, null));
                continue;
            }
            // Stored before this batch (or by an earlier entry carrying the same bank reference): answer the original,
            // unless the original is a row of this batch, which is answered after booking.
            var found = await FindExisting(conn, tx, e, ct);
            stored.Add(claimed.Contains(found.Id) ? new Stored(found.Id, null) : found);
        }
        return stored;
    }

    private sealed record Stored(long Id, InboxOutcome? Existing);

    private async Task<Stored> Store(NpgsqlConnection conn, NpgsqlTransaction tx, InboxEntry e, CancellationToken ct)
    {
        await using (var insert = new NpgsqlCommand("""
            insert into bank_transactions (province_id, provider, transaction_id, channel, bank_reference, bank_bin, account_number, sub_account, direction,
                amount, content, raw_description, counterparty_name, counterparty_account, running_balance, booked_at, received_at, raw_body, raw_headers)
            values (coalesce((select min(o.province_id) from orgs o where o.bank_account = @account), 0), @provider, @tid, @channel, @ref, @bin, @account, @sub, @direction, @amount, @content, @raw_description, @cp_name, @cp_account,
                @balance, @booked, @received, @body, @headers)
            on conflict do nothing
            returning id
            """, conn, tx))
        {
            insert.Parameters.AddWithValue("provider", e.Provider);
            insert.Parameters.AddWithValue("tid", e.TransactionId);
            insert.Parameters.AddWithValue("channel", e.Channel);
            insert.Parameters.AddWithValue("ref", (object?)e.BankReference ?? DBNull.Value);
            insert.Parameters.Add(new NpgsqlParameter("bin", NpgsqlDbType.Char) { Value = (object?)e.BankBin ?? DBNull.Value });
            insert.Parameters.AddWithValue("account", e.AccountNumber);
            insert.Parameters.AddWithValue("sub", (object?)e.SubAccount ?? DBNull.Value);
            insert.Parameters.AddWithValue("direction", e.Outgoing ? "out" : "in");
            insert.Parameters.AddWithValue("amount", e.Amount);
            insert.Parameters.AddWithValue("content", e.Content);
            insert.Parameters.AddWithValue("raw_description", (object?)e.RawDescription ?? DBNull.Value);
            insert.Parameters.AddWithValue("cp_name", (object?)e.CounterpartyName ?? DBNull.Value);
            insert.Parameters.AddWithValue("cp_account", (object?)e.CounterpartyAccount ?? DBNull.Value);
            insert.Parameters.AddWithValue("balance", (object?)e.RunningBalance ?? DBNull.Value);
            insert.Parameters.AddWithValue("booked", e.BookedAt.ToUniversalTime());
            insert.Parameters.AddWithValue("received", clock.GetUtcNow());
            insert.Parameters.AddWithValue("body", e.RawBody);
            insert.Parameters.Add(new NpgsqlParameter("headers", NpgsqlDbType.Jsonb) { Value = e.RawHeadersJson });
            if (await insert.ExecuteScalarAsync(ct) is long id)
            {
                return new Stored(id, null);
            }
        }
        return await FindExisting(conn, tx, e, ct);
    }

    /// <summary>The row stored before for this entry's transaction (by this provider, or the same bank transaction by another provider).</summary>
    private static async Task<Stored> FindExisting(NpgsqlConnection conn, NpgsqlTransaction tx, InboxEntry e, CancellationToken ct)
    {
        await using var find = new NpgsqlCommand("""
            select t.id, r.id, r.status, t.state
            from bank_transactions t
            -- the line's receipt is in the month of the line's booking day (ReceiptBooking.PeriodOf)
            left join receipts r on r.bank_transaction_id = t.id and r.period = date_trunc('month', (t.booked_at at time zone 'Asia/Ho_Chi_Minh')::timestamp)::date
            where (t.provider = @provider and t.transaction_id = @tid)
               or (@ref::text is not null and t.account_number = @account and t.bank_reference = @ref and t.direction = @direction)
            order by t.id limit 1
            """, conn, tx);
        find.Parameters.AddWithValue("provider", e.Provider);
        find.Parameters.AddWithValue("tid", e.TransactionId);
        find.Parameters.AddWithValue("ref", (object?)e.BankReference ?? DBNull.Value);
        find.Parameters.AddWithValue("account", e.AccountNumber);
        find.Parameters.AddWithValue("direction", e.Outgoing ? "out" : "in");
        await using var r = await find.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            // The conflicting row's transaction rolled back between our insert and this read: try again.
            throw new InvalidOperationException("A conflicting bank transaction vanished; the delivery should be retried.");
        }
        long existingId = r.GetInt64(0);
        long? receiptId = r.IsDBNull(1) ? null : r.GetInt64(1);
        string status = r.IsDBNull(2) ? (r.GetString(3) == "ignored" ? InboxOutcome.Ignored : InboxOutcome.Accepted) : r.GetString(2);
        return new Stored(existingId, new InboxOutcome(existingId, receiptId, status, true));
    }

    private static async Task Execute(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Lock conflicts a retry resolves.</summary>
    private static bool IsRetryable(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
        || Ledger.LedgerStore.IsReversedTwice(e);
}

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
/// transaction is booked once however many deliveries, jobs and sweeps race.
/// </summary>
public sealed class BankInbox(NpgsqlDataSource dataSource, ReceiptBooking booking, TimeProvider clock, ILogger<BankInbox> log)
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
    public async Task<IReadOnlyList<InboxOutcome>> ProcessBatch(int max, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(ct);
                await using var tx = await conn.BeginTransactionAsync(ct);
                var ids = new List<long>(max);
                await using (var cmd = new NpgsqlCommand(
                    "select id from bank_transactions where state = 'accepted' order by id limit @max for update skip locked", conn, tx))
                {
                    cmd.Parameters.AddWithValue("max", max);
                    await using var r = await cmd.ExecuteReaderAsync(ct);
                    while (await r.ReadAsync(ct))
                    {
                        ids.Add(r.GetInt64(0));
                    }
                }
                var outcomes = ids.Count == 0 ? [] : await booking.BookBatch(conn, tx, ids, Actor.System, ct);
                await tx.CommitAsync(ct);
                return outcomes;
            }
            catch (PostgresException e) when (IsRetryable(e) && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct);
            }
        }
    }

    private sealed record Stored(long Id, InboxOutcome? Existing);

    private async Task<Stored> Store(NpgsqlConnection conn, NpgsqlTransaction tx, InboxEntry e, CancellationToken ct)
    {
        await using (var insert = new NpgsqlCommand("""
            insert into bank_transactions (provider, transaction_id, channel, bank_reference, bank_bin, account_number, sub_account, direction,
                amount, content, raw_description, counterparty_name, counterparty_account, running_balance, booked_at, received_at, raw_body, raw_headers)
            values (@provider, @tid, @channel, @ref, @bin, @account, @sub, @direction, @amount, @content, @raw_description, @cp_name, @cp_account,
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
        // Stored before (by this provider, or the same bank transaction by another provider): answer the original.
        await using var find = new NpgsqlCommand("""
            select t.id, r.id, r.status, t.state
            from bank_transactions t left join receipts r on r.bank_transaction_id = t.id
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

    /// <summary>Lock conflicts a retry resolves.</summary>
    private static bool IsRetryable(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected
        || (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName is "ux_ledger_entries_reverses");
}

using Npgsql;
using NpgsqlTypes;

namespace Fees.Persistence.Bank;

/// <summary>Where a provider's history poll of one account stands: the provider's cursor (JSON) and the first day taken.</summary>
/// <param name="CursorJson">The provider's cursor as JSON (the row's <c>jsonb</c>, as PostgreSQL writes it back).</param>
/// <param name="Since">Transactions booked before this Vietnam date are passed over, not stored.</param>
public sealed record PollPosition(string CursorJson, DateOnly Since);

/// <summary>What one page's commit did: the inbox rows it added (to book now), and how many were already there.</summary>
public sealed record PollCommit(IReadOnlyList<long> NewInboxIds, int Duplicates);

/// <summary>
/// The history pollers' cursors (<c>bank_poll_cursors</c>): read one, and advance it in the same transaction that stores its
/// page's transactions in the inbox, so a crash anywhere before the commit leaves the cursor where it was and the page is
/// read again (storing is idempotent: the inbox's unique keys). The advance is a compare-and-set on the row: a poll
/// that read a cursor someone else has since moved stores nothing.
/// </summary>
public sealed class BankPollCursors(NpgsqlDataSource dataSource, BankInbox inbox, TimeProvider clock)
{
    private const int MaxAttempts = 5;
    private const int MaxErrorLength = 500;

    /// <summary>The cursor of (<paramref name="provider"/>, <paramref name="account"/>), created from the initial values on first use.</summary>
    public async Task<PollPosition> Get(string provider, string account, string initialCursorJson, DateOnly since, CancellationToken ct)
    {
        await using (var insert = dataSource.CreateCommand("""
            insert into bank_poll_cursors (provider, account, cursor, since, created_at, updated_at)
            values (@provider, @account, @cursor, @since, @now, @now)
            on conflict (provider, account) do nothing
            """))
        {
            insert.Parameters.AddWithValue("provider", provider);
            insert.Parameters.AddWithValue("account", account);
            insert.Parameters.Add(new NpgsqlParameter("cursor", NpgsqlDbType.Jsonb) { Value = initialCursorJson });
            insert.Parameters.AddWithValue("since", since);
            insert.Parameters.AddWithValue("now", clock.GetUtcNow());
            await insert.ExecuteNonQueryAsync(ct);
        }
        await using var select = dataSource.CreateCommand("select cursor::text, since from bank_poll_cursors where provider = @provider and account = @account");
        select.Parameters.AddWithValue("provider", provider);
        select.Parameters.AddWithValue("account", account);
        await using var r = await select.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            throw new InvalidOperationException("A poll cursor vanished right after it was written.");
        }
        return new PollPosition(r.GetString(0), r.GetFieldValue<DateOnly>(1));
    }

    /// <summary>
    /// In one transaction: moves the cursor from <paramref name="expectedCursorJson"/> to <paramref name="nextCursorJson"/>
    /// (the row is locked by that update) and stores every entry in the inbox without booking it.
    /// </summary>
    /// <returns>The commit, or <see langword="null"/> when the cursor was no longer <paramref name="expectedCursorJson"/> (nothing stored).</returns>
    public async Task<PollCommit?> Advance(string provider, string account, string expectedCursorJson, string nextCursorJson,
        IReadOnlyList<InboxEntry> entries, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entries);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var conn = await dataSource.OpenConnectionAsync(ct);
                await using var tx = await conn.BeginTransactionAsync(ct);
                await using (var update = new NpgsqlCommand("""
                    update bank_poll_cursors set cursor = @next, updated_at = @now, last_polled_at = @now, last_error = null
                    where provider = @provider and account = @account and cursor = @expected
                    """, conn, tx))
                {
                    update.Parameters.AddWithValue("provider", provider);
                    update.Parameters.AddWithValue("account", account);
                    update.Parameters.Add(new NpgsqlParameter("next", NpgsqlDbType.Jsonb) { Value = nextCursorJson });
                    update.Parameters.Add(new NpgsqlParameter("expected", NpgsqlDbType.Jsonb) { Value = expectedCursorJson });
                    update.Parameters.AddWithValue("now", clock.GetUtcNow());
                    if (await update.ExecuteNonQueryAsync(ct) == 0)
                    {
                        return null;
                    }
                }
                var added = new List<long>();
                int duplicates = 0;
                foreach (var entry in entries)
                {
                    var outcome = await inbox.StoreIn(conn, tx, entry, ct);
                    if (outcome.Duplicate)
                    {
                        duplicates++;
                    }
                    else
                    {
                        added.Add(outcome.InboxId);
                    }
                }
                await tx.CommitAsync(ct);
                return new PollCommit(added, duplicates);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected && attempt < MaxAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), ct);
            }
        }
    }

    /// <summary>Notes a failed poll on the cursor's row (for operators); the cursor itself does not move.</summary>
    public async Task RecordFailure(string provider, string account, string error, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(error);
        await using var cmd = dataSource.CreateCommand("""
            update bank_poll_cursors set last_polled_at = @now, last_error = @error where provider = @provider and account = @account
            """);
        cmd.Parameters.AddWithValue("provider", provider);
        cmd.Parameters.AddWithValue("account", account);
        cmd.Parameters.AddWithValue("now", clock.GetUtcNow());
        cmd.Parameters.AddWithValue("error", error.Length <= MaxErrorLength ? error : error[..MaxErrorLength]);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

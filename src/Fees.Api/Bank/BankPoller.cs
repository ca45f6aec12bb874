using System.Text;
using System.Text.Json;
using Fees.BankGateway.History;
using Fees.BankGateway.Providers;
using Fees.Domain.Time;
using Fees.Persistence.Bank;
using Microsoft.Extensions.Options;

namespace Fees.Api.Bank;

/// <summary>What one poll of one account did. <see cref="Failure"/> is the provider's failure, if the run ended on one.</summary>
/// <param name="Stored">Transactions new to the inbox.</param>
/// <param name="Duplicates">Transactions the inbox already had (a webhook or an earlier poll).</param>
/// <param name="Skipped">Transactions of other accounts, or booked before the cursor's first day.</param>
/// <param name="Booked">Of the stored ones, how many this run booked (the rest wait for the sweeper).</param>
public sealed record PollRun(string Provider, string Account, int Pages, int Stored, int Duplicates, int Skipped, int Booked, HistoryFailureKind? Failure, string? Detail)
{
    public static PollRun Empty(string provider, string account) => new(provider, account, 0, 0, 0, 0, 0, null, null);
}

/// <summary>
/// Polls one provider's transaction history for one account (or <see cref="AllAccounts"/>), so a transaction whose webhook
/// never came is still booked: page by page from the stored cursor, each page's transactions stored in the inbox
/// (<c>channel = 'history'</c>, the record's JSON as the raw body) in the same transaction that advances the cursor, then
/// each new one booked as a webhook's is. A transaction the webhook brought too is a duplicate (the inbox's unique keys),
/// so the two channels book it once. The provider's failures are values: logged, noted on the cursor, tried next run.
/// </summary>
public sealed class BankPoller(
    IServiceProvider services,
    BankPollCursors cursors,
    BankInbox inbox,
    IOptions<BankPollingOptions> options,
    TimeProvider clock,
    ILogger<BankPoller> log)
{
    /// <summary>The account name of a poll that reads every account the provider's credential sees.</summary>
    public const string AllAccounts = "*";

    private static readonly JsonSerializerOptions CursorJson = new(JsonSerializerDefaults.Web);

    /// <summary>Polls until the provider has nothing more, a page fails, or <see cref="BankPollingOptions.MaxPagesPerRun"/> pages.</summary>
    public async Task<PollRun> Poll(string provider, string account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(account);
        if (account != AllAccounts && !BankTransactionLimits.IsValidAccount(account))
        {
            return Failed(PollRun.Empty(provider, account), null, "The account to poll is not 1 to 19 characters [0-9A-Z].");
        }
        string? scope = account == AllAccounts ? null : account;
        switch (provider)
        {
            case BankProviderCodes.SePay:
                var sepay = services.GetRequiredService<SePayHistory>();
                return await Run(provider, account, _ => SePayCursor.Start(scope), c => sepay.NextAsync(c, ct), ct);
            case BankProviderCodes.Casso:
                var casso = services.GetRequiredService<CassoHistory>();
                return await Run(provider, account, CassoCursor.Start, c => casso.NextAsync(c, clock.GetUtcNow(), ct), ct);
            default:
                return Failed(PollRun.Empty(provider, account), null, "No history API is known for this provider.");
        }
    }

    /// <param name="start">The first cursor, given the first day taken (Casso's day walk starts there; SePay's ignores it).</param>
    private async Task<PollRun> Run<TCursor>(string provider, string account, Func<DateOnly, TCursor> start,
        Func<TCursor, Task<HistoryPage<TCursor>>> next, CancellationToken ct)
        where TCursor : class
    {
        var run = PollRun.Empty(provider, account);
        DateOnly since = VietnamTime.Today(clock).AddDays(-options.Value.LookbackDays);
        PollPosition position;
        try
        {
            position = await cursors.Get(provider, account, Json(start(since)), since, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "History poll of {Provider} {Account}: the cursor could not be read", provider, Masked(account));
            return run with { Failure = null, Detail = "The cursor could not be read." };
        }

        for (int pageNo = 1; pageNo <= options.Value.MaxPagesPerRun; pageNo++)
        {
            var cursor = JsonSerializer.Deserialize<TCursor>(position.CursorJson, CursorJson)
                ?? throw new InvalidOperationException("A stored poll cursor is null.");
            HistoryPage<TCursor> page;
            try
            {
                page = await next(cursor);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The clients turn transport failures into values; anything else is unexpected, but still only this run's end.
                log.LogError(e, "History poll of {Provider} {Account} failed unexpectedly", provider, Masked(account));
                await Note(provider, account, "Unexpected: " + e.GetType().Name, ct);
                return run with { Detail = "Unexpected failure: " + e.GetType().Name };
            }
            run = run with { Pages = run.Pages + 1 };

            var entries = new List<InboxEntry>();
            for (int i = 0; i < page.Transactions.Count; i++)
            {
                var t = page.Transactions[i];
                if ((account != AllAccounts && t.AccountNumber != account) || VietnamTime.DateOf(t.BookedAt) < position.Since)
                {
                    run = run with { Skipped = run.Skipped + 1 };
                    continue;
                }
                string raw = i < page.RawRecords.Count ? page.RawRecords[i] : "{}";
                entries.Add(BankEndpoints.ToInbox(t, "history", Encoding.UTF8.GetBytes(raw), "{}"));
            }

            string nextJson = Json(page.Next);
            if (entries.Count > 0 || !Equals(page.Next, cursor))
            {
                PollCommit? commit;
                try
                {
                    commit = await cursors.Advance(provider, account, position.CursorJson, nextJson, entries, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    log.LogWarning(e, "History poll of {Provider} {Account}: the page could not be stored; it is read again next time", provider, Masked(account));
                    return run with { Detail = "The page could not be stored." };
                }
                if (commit is null)
                {
                    log.LogInformation("History poll of {Provider} {Account} stopped: another poll moved the cursor", provider, Masked(account));
                    return run;
                }
                position = position with { CursorJson = nextJson };
                run = run with { Stored = run.Stored + commit.NewInboxIds.Count, Duplicates = run.Duplicates + commit.Duplicates };
                run = run with { Booked = run.Booked + await Book(commit.NewInboxIds, ct) };
            }

            if (page.IsFailure)
            {
                var f = page.Failure;
                log.LogWarning("History poll of {Provider} {Account} failed: {Kind} ({Detail}); tried again next run", provider, Masked(account), f.Kind, f.Detail);
                await Note(provider, account, $"{f.Kind}: {f.Detail}", ct);
                return run with { Failure = f.Kind, Detail = f.Detail };
            }
            if (!page.HasMore)
            {
                break;
            }
        }
        if (run.Stored > 0)
        {
            log.LogInformation("History poll of {Provider} {Account}: {Stored} new, {Duplicates} already known, {Booked} booked",
                provider, Masked(account), run.Stored, run.Duplicates, run.Booked);
        }
        return run;
    }

    /// <summary>Books each newly stored transaction; one that cannot be booked now waits for the sweeper.</summary>
    private async Task<int> Book(IReadOnlyList<long> inboxIds, CancellationToken ct)
    {
        int booked = 0;
        foreach (long id in inboxIds)
        {
            try
            {
                await inbox.Process(id, ct);
                booked++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                log.LogWarning(e, "Booking polled bank transaction {InboxId} left to the sweeper", id);
            }
        }
        return booked;
    }

    private async Task Note(string provider, string account, string error, CancellationToken ct)
    {
        try
        {
            await cursors.RecordFailure(provider, account, error, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Could not note a failed poll of {Provider} {Account}", provider, Masked(account));
        }
    }

    private PollRun Failed(PollRun run, HistoryFailureKind? kind, string detail)
    {
        log.LogWarning("History poll of {Provider} {Account} refused: {Detail}", run.Provider, Masked(run.Account), detail);
        return run with { Failure = kind, Detail = detail };
    }

    private static string Json<TCursor>(TCursor cursor) => JsonSerializer.Serialize(cursor, CursorJson);

    /// <summary>An account for logs: its last four characters only.</summary>
    internal static string Masked(string account) => account == AllAccounts || account.Length <= 4 ? account : "…" + account[^4..];
}

using FakeBank.Banking;
using FakeBank.Configuration;
using FakeBank.Delivery;
using FakeBank.Rewriting;
using FakeBank.Time;

namespace FakeBank.Endpoints;

/// <summary>The JSON control API under <c>/control</c> (README "Control API").</summary>
internal static class ControlEndpoints
{
    private const int MaxCopies = 20;
    private const int MaxDelayMs = 600_000;

    /// <summary>The most one advance may move the manual clock: 31 days.</summary>
    public const double MaxAdvanceSeconds = 31 * 24 * 3600;

    public static void MapControl(this WebApplication app)
    {
        var control = app.MapGroup("/control");
        control.MapGet("/config", GetConfig);
        control.MapPost("/config", (ConfigPatch patch, SettingsStore settings, BankClock clock) =>
            settings.Apply(patch) is { } error
                ? Problems.BadRequest("invalid_config", error)
                : GetConfig(settings, clock));
        control.MapPost("/accounts", CreateAccount);
        control.MapGet("/accounts", (Ledger ledger) =>
            ledger.Read(v => v.Accounts.OrderBy(a => a.Id).Select(AccountView.From).ToList()));
        control.MapPost("/transfers", CreateTransfer);
        control.MapGet("/transfers", (Ledger ledger) =>
            ledger.Read(v => v.Transactions.Select(t => TransactionView.From(t, v.Chains[t.Sequence])).ToList()));
        control.MapGet("/transfers/{bankReference}", (string bankReference, Ledger ledger) =>
            ledger.Read(v => v.Transactions.FirstOrDefault(t => t.BankReference == bankReference) is { } t
                ? Results.Ok(TransactionView.From(t, v.Chains[t.Sequence]))
                : Problems.NotFound("unknown_transaction", $"no transaction with bank reference {bankReference}")));
        control.MapPost("/rewrite", Preview);
        control.MapGet("/deliveries", Deliveries);
        control.MapGet("/status", (Ledger ledger, WebhookDispatcher dispatcher, BankClock clock) => ledger.Read(v => new
        {
            pendingDeliveries = dispatcher.Pending,
            accounts = v.Accounts.Count(),
            transactions = v.Transactions.Count,
            deliveryAttempts = v.Attempts.Count,
            clock = new { now = clock.UtcNow, frozen = clock.IsFrozen },
        }));
        control.MapGet("/clock", (SchedulerClock scheduler) => ClockView(scheduler));
        control.MapPost("/clock/advance", Advance);
        control.MapPost("/reset", (Ledger ledger, WebhookDispatcher dispatcher) =>
        {
            dispatcher.CancelPending();
            ledger.Reset();
            return Results.NoContent();
        });
    }

    /// <summary>The schedule's clock: manual or real, its now, and (manual only) the timers waiting and the first one's due instant.</summary>
    private static IResult ClockView(SchedulerClock scheduler)
    {
        var (timers, nextDueAt) = scheduler.Manual?.Waiting ?? (0, null);
        return Results.Ok(new { manual = scheduler.Manual is not null, now = scheduler.Time.GetUtcNow(), timers, nextDueAt });
    }

    private static IResult Advance(ClockAdvanceRequest request, SchedulerClock scheduler)
    {
        if (scheduler.Manual is not { } manual)
        {
            return Problems.Problem(StatusCodes.Status409Conflict, "Conflict", "clock_not_manual",
                "the schedule runs on the real clock; start FakeBank with --manual-clock to advance it");
        }
        if (request.Seconds is not { } seconds || !(seconds > 0 && seconds <= MaxAdvanceSeconds))
        {
            return Problems.BadRequest("invalid_advance", $"seconds must be a number in (0, {MaxAdvanceSeconds}]");
        }
        manual.Advance(TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)));
        return ClockView(scheduler);
    }

    private static IResult GetConfig(SettingsStore store, BankClock clock)
    {
        var s = store.Current;
        return Results.Ok(new
        {
            retryScale = s.RetryScale,
            providers = new Dictionary<string, ProviderSettings>(StringComparer.Ordinal)
            {
                ["generic"] = s.Generic,
                ["sepay"] = s.SePay,
                ["casso"] = s.Casso,
            },
            faults = s.Faults,
            clock = new { now = clock.UtcNow, frozen = clock.IsFrozen },
        });
    }

    private static IResult CreateAccount(AccountRequest request, Ledger ledger)
    {
        if (!BankDirectory.IsBin(request.Bin))
        {
            return Problems.BadRequest("invalid_bin", "bin must be a 6-digit NAPAS BIN");
        }
        if (string.IsNullOrWhiteSpace(request.AccountNumber) || request.AccountNumber.Length > 19)
        {
            return Problems.BadRequest("invalid_account_number", "accountNumber is required (at most 19 characters)");
        }
        if (string.IsNullOrWhiteSpace(request.AccountName))
        {
            return Problems.BadRequest("invalid_account_name", "accountName is required");
        }
        var providers = new List<Provider>();
        foreach (var name in request.Providers ?? [])
        {
            if (!ProviderNames.TryParse(name, out var provider))
            {
                return Problems.BadRequest("unknown_provider", $"unknown provider '{name}' (generic, sepay, casso)");
            }
            if (!providers.Contains(provider))
            {
                providers.Add(provider);
            }
        }
        var (account, created) = ledger.Upsert(request.Bin!, request.AccountNumber, request.AccountName, providers, request.OpeningBalance ?? 0);
        var view = ledger.Read(_ => AccountView.From(account));
        return created ? Results.Created($"/control/accounts/{account.Bin}/{account.Number}", view) : Results.Ok(view);
    }

    private static IResult CreateTransfer(
        TransferRequest request, Ledger ledger, SettingsStore store, BankClock clock, WebhookDispatcher dispatcher)
    {
        if (!BankDirectory.IsBin(request.ToBin))
        {
            return Problems.BadRequest("invalid_bin", "toBin must be a 6-digit NAPAS BIN");
        }
        if (string.IsNullOrWhiteSpace(request.ToAccount))
        {
            return Problems.BadRequest("invalid_account_number", "toAccount is required");
        }
        if (request.Amount is not > 0)
        {
            return Problems.BadRequest("invalid_amount", "amount must be a positive integer number of đồng");
        }
        if (request.FromBin is not null && !BankDirectory.IsBin(request.FromBin))
        {
            return Problems.BadRequest("invalid_bin", "fromBin must be a 6-digit NAPAS BIN");
        }
        string direction = request.Direction ?? BankTransaction.In;
        if (direction is not (BankTransaction.In or BankTransaction.Out))
        {
            return Problems.BadRequest("invalid_direction", "direction must be 'in' or 'out'");
        }
        if (ContentRewriter.Validate(request.Rewrite) is { } rewriteError)
        {
            return Problems.BadRequest("invalid_rewrite", rewriteError);
        }
        var settings = store.Current;
        var knobs = request.Delivery ?? new DeliveryKnobs();
        string failMode = knobs.FailMode ?? settings.Faults.WebhookFailMode ?? "drop";
        int failFirst = knobs.FailFirst ?? settings.Faults.WebhookFailFirst ?? 0;
        int copies = knobs.Copies ?? 1;
        if (failMode is not ("drop" or "ignoreResponse") || failFirst < 0 || copies is < 1 or > MaxCopies
            || knobs.DelayMs is < 0 or > MaxDelayMs)
        {
            return Problems.BadRequest("invalid_delivery",
                $"delivery: failMode drop|ignoreResponse, failFirst ≥ 0, copies 1–{MaxCopies}, delayMs 0–{MaxDelayMs}");
        }
        var watchers = ledger.Read(v => v.Accounts.FirstOrDefault(a => a.Bin == request.ToBin && a.Number == request.ToAccount)?.WatchedBy);
        if (watchers is null)
        {
            return Problems.NotFound("unknown_account", $"the bank keeps no account {request.ToBin}/{request.ToAccount}");
        }
        var senders = new List<Provider>();
        foreach (var name in knobs.Providers ?? [.. watchers.Select(p => p.Name())])
        {
            if (!ProviderNames.TryParse(name, out var provider) || !watchers.Contains(provider))
            {
                return Problems.BadRequest("invalid_delivery", $"delivery.providers: '{name}' does not watch this account");
            }
            senders.Add(provider);
        }
        if (knobs.SkipWebhook == true)
        {
            senders.Clear();
        }

        var transaction = ledger.Book(new Booking(
            Bin: request.ToBin!,
            AccountNumber: request.ToAccount,
            Amount: request.Amount.Value,
            Direction: direction,
            Content: request.Content ?? "",
            CounterpartyName: request.FromName,
            CounterpartyAccount: request.FromAccount,
            CounterpartyBin: request.FromBin,
            BookedAt: request.BookedAt ?? clock.UtcNow,
            Rewrite: request.Rewrite));
        if (transaction is null)
        {
            return Problems.NotFound("unknown_account", $"the bank keeps no account {request.ToBin}/{request.ToAccount}");
        }
        foreach (var provider in senders.Distinct())
        {
            if (string.IsNullOrEmpty(settings.For(provider).Url))
            {
                ledger.AddChain(transaction.Sequence, provider.Name(), 1, DeliveryChain.NoTarget);
                continue;
            }
            var chains = Enumerable.Range(1, copies)
                .Select(copy => ledger.AddChain(transaction.Sequence, provider.Name(), copy, DeliveryChain.Scheduled))
                .ToList();
            dispatcher.Enqueue(new DeliveryJob(transaction, provider, failFirst, failMode, copies,
                knobs.Concurrent ?? false, knobs.DelayMs ?? 0, chains));
        }
        var view = ledger.Read(v => TransactionView.From(transaction, v.Chains[transaction.Sequence]));
        return Results.Created($"/control/transfers/{transaction.BankReference}", view);
    }

    private static IResult Preview(RewritePreviewRequest request, BankClock clock)
    {
        if (ContentRewriter.Validate(request.Rewrite) is { } error)
        {
            return Problems.BadRequest("invalid_rewrite", error);
        }
        var result = ContentRewriter.Apply(request.Rewrite, new RewriteContext(
            Note: request.Content ?? "",
            FromName: request.FromName,
            FromAccount: request.FromAccount,
            ToAccount: request.ToAccount ?? "",
            ToName: request.ToName ?? "",
            BookedAtVietnam: VietnamTime.ToVietnam(request.BookedAt ?? clock.UtcNow),
            Sequence: request.Sequence ?? 1));
        return Results.Ok(new { content = result.Content, steps = result.Steps });
    }

    private static List<DeliveryAttempt> Deliveries(
        Ledger ledger, string? provider, string? transactionId, string? bankReference, long? sequence, string? outcome) =>
        ledger.Read(v => v.Attempts
            .Where(a => provider is null || a.Provider == provider)
            .Where(a => transactionId is null || a.TransactionId == transactionId)
            .Where(a => bankReference is null || a.BankReference == bankReference)
            .Where(a => sequence is null || a.Sequence == sequence)
            .Where(a => outcome is null || a.Outcome == outcome)
            .ToList());
}

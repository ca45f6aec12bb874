using System.Text.Json;
using Fees.Api.Hosting;
using Fees.Api.Jobs;
using Fees.BankGateway.Providers;
using Fees.Domain.Accounts;
using Fees.Persistence.Bank;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fees.Api.Bank;

/// <summary>The answer to one notification: the contract's <c>{"receiptId","status"}</c> (SePay also reads <c>success</c>).</summary>
public sealed record NotificationAnswer(long? ReceiptId, string Status, bool? Success = null, IReadOnlyList<NotificationAnswer>? Transactions = null);

/// <summary>
/// The bank feeds' webhooks (anonymous: the provider's signature is the authentication). Verify in constant time (401
/// and nothing stored unless verified), parse (400 naming the field), then store each transaction exactly once and
/// book it in the same request when it can; when booking cannot finish, the stored transaction is answered
/// <c>accepted</c> (202) and a job that takes only its inbox id books it.
/// </summary>
public static class BankEndpoints
{
    /// <summary>How long a request tries to book before handing the rest to a job.</summary>
    public static readonly TimeSpan BookingBudget = TimeSpan.FromSeconds(10);

    private static readonly string[] MaskedHeaders = ["Authorization", "Secure-Token", "Cookie"];

    public static void MapBankFeeds(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/bank/notifications").AllowAnonymous().ProducesProblems(400, 401, 413);
        group.MapPost("/generic", (HttpContext http, [FromKeyedServices(BankProviderCodes.Generic)] IWebhookAdapter adapter, BankInbox inbox, NotificationBatcher batcher,
            IBackgroundJobClient jobs, TimeProvider clock, ILoggerFactory logs, CancellationToken ct) => Receive(http, adapter, inbox, batcher, jobs, clock, logs, ct));
        group.MapPost("/sepay", (HttpContext http, [FromKeyedServices(BankProviderCodes.SePay)] IWebhookAdapter adapter, BankInbox inbox, NotificationBatcher batcher,
            IBackgroundJobClient jobs, TimeProvider clock, ILoggerFactory logs, CancellationToken ct) => Receive(http, adapter, inbox, batcher, jobs, clock, logs, ct));
        group.MapPost("/casso", (HttpContext http, [FromKeyedServices(BankProviderCodes.Casso)] IWebhookAdapter adapter, BankInbox inbox, NotificationBatcher batcher,
            IBackgroundJobClient jobs, TimeProvider clock, ILoggerFactory logs, CancellationToken ct) => Receive(http, adapter, inbox, batcher, jobs, clock, logs, ct));
    }

    private static async Task<Results<Ok<NotificationAnswer>, Accepted<NotificationAnswer>, ProblemHttpResult>> Receive(HttpContext http, IWebhookAdapter adapter,
        BankInbox inbox, NotificationBatcher batcher, IBackgroundJobClient jobs, TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger(typeof(BankEndpoints));
        byte[]? body = await ReadBody(http.Request, WebhookLimits.MaxBodyBytes, ct);
        if (body is null)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "body_too_large", $"Nội dung thông báo quá {WebhookLimits.MaxBodyBytes / 1024} KiB.");
        }
        var headers = http.Request.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value.ToString())).ToList();
        var verification = adapter.Verify(new WebhookRequest(body, headers), clock.GetUtcNow());
        if (verification.Status != WebhookVerificationStatus.Verified)
        {
            log.LogWarning("Refused a {Provider} notification: {Status} ({Reason})", adapter.Provider, verification.Status, verification.Reason);
            return Problems.Of(StatusCodes.Status401Unauthorized, "bad_signature", "Chữ ký của thông báo không hợp lệ; thông báo không được ghi nhận.");
        }
        var parse = adapter.Parse(body);
        if (!parse.IsValid)
        {
            return Problems.Validation(parse.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.ReasonVietnamese).ToArray()),
                code: "malformed_notification");
        }

        string rawHeaders = JsonSerializer.Serialize(headers.ToDictionary(h => h.Key, h => MaskedHeaders.Contains(h.Key, StringComparer.OrdinalIgnoreCase) ? "***" : h.Value,
            StringComparer.OrdinalIgnoreCase));
        var actor = Actor.System with { Username = "bank:" + adapter.Provider };
        var answers = new List<NotificationAnswer>();
        bool accepted = false;
        foreach (var t in parse.Transactions)
        {
            var entry = ToInbox(t, "webhook", body, rawHeaders);
            InboxOutcome outcome;
            try
            {
                using var budget = CancellationTokenSource.CreateLinkedTokenSource(ct);
                budget.CancelAfter(BookingBudget);
                outcome = await batcher.Receive(entry, actor, budget.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Booking could not finish here: keep the transaction and let a job book it.
                log.LogWarning(e, "Booking {Provider} transaction {TransactionId} left to a job", t.Provider, t.TransactionId);
                outcome = await inbox.StoreOnly(entry, ct);
                if (!outcome.Duplicate)
                {
                    jobs.Enqueue<BankJobs>(j => j.Book(outcome.InboxId, CancellationToken.None));
                }
            }
            accepted |= outcome.Status == InboxOutcome.Accepted && !outcome.Duplicate;
            answers.Add(new NotificationAnswer(outcome.ReceiptId, outcome.Duplicate ? "duplicate" : outcome.Status));
        }
        var first = answers[0];
        var answer = new NotificationAnswer(first.ReceiptId, first.Status,
            adapter.Provider == BankProviderCodes.SePay ? true : null,
            answers.Count > 1 ? answers : null);
        return accepted ? TypedResults.Accepted((string?)null, answer) : TypedResults.Ok(answer);
    }

    internal static InboxEntry ToInbox(BankTransaction t, string channel, byte[] rawBody, string rawHeaders) =>
        new(t.Provider, t.TransactionId, channel, t.BankReference, t.BankBin, t.AccountNumber, t.SubAccount, t.Direction == TransferDirection.Out,
            t.Amount.Dong, t.Content, t.RawDescription, t.CounterpartyName, t.CounterpartyAccount, t.RunningBalance?.Dong, t.BookedAt, rawBody, rawHeaders);

    /// <summary>The request body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBody(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}

using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Time;
using Fees.Persistence.Bank;
using Fees.Persistence.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fees.Api.Receipts;

public sealed record AllocateRequest(IReadOnlyList<AllocationRequest>? Allocations);
public sealed record RefundRequest(long? Amount, string? Note);
public sealed record CashRequest(string? MemberNo, long? Amount, DateOnly? ReceivedOn, string? Note);

/// <summary>
/// Receipts and the treasurer's reconciliation: money an organization received, what it paid, the suspense queue, and
/// what the treasurer does by hand. Each write is once per <c>Idempotency-Key</c> (or per identical request).
/// </summary>
public static class ReceiptEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static void MapReceipts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/receipts/{receiptId:long}", Get).RequireAuthorization(Policies.Staff).ProducesProblems(404);
        app.MapPost("/api/receipts/{receiptId:long}/allocate", Allocate).RequireAuthorization(Policies.Treasurers).ProducesProblems(400, 404, 409, 422);
        app.MapPost("/api/receipts/{receiptId:long}/refund", Refund).RequireAuthorization(Policies.Treasurers).ProducesProblems(400, 404, 409, 422);
        app.MapPost("/api/receipts/{receiptId:long}/confirm-deposit", ConfirmDeposit).RequireAuthorization(Policies.Treasurers).ProducesProblems(400, 404, 409, 422);
        app.MapPost("/api/orgs/{orgCode}/cash-receipts", RecordCash).RequireAuthorization(Policies.Treasurers).ProducesProblems(400, 404, 409, 422);
        app.MapGet("/api/orgs/{orgCode}/reconciliation", Reconcile).RequireAuthorization(Policies.Staff).ProducesProblems(400, 404);
    }

    private static async Task<Results<Ok<ReceiptView>, ProblemHttpResult>> Get(long receiptId, Actor actor, ReceiptQueries receipts, CancellationToken ct)
    {
        var found = await receipts.Get(receiptId, actor, ct);
        return found.Succeeded ? TypedResults.Ok(found.Value) : Problems.From(found.Refusal);
    }

    private static async Task<Results<Ok<ReceiptView>, ProblemHttpResult>> Allocate(long receiptId, AllocateRequest body,
        [FromHeader(Name = IdempotencyHeader)] string? key, Actor actor, TreasurerActions actions, ReceiptQueries receipts, CancellationToken ct)
    {
        if (BadKey(key) is { } bad)
        {
            return bad;
        }
        var done = await actions.Allocate(receiptId, body.Allocations, key, actor, ct);
        return done.Succeeded ? await Answer(receiptId, actor, receipts, ct) : Problems.From(done.Refusal);
    }

    private static async Task<Results<Ok<ReceiptView>, ProblemHttpResult>> Refund(long receiptId, RefundRequest body,
        [FromHeader(Name = IdempotencyHeader)] string? key, Actor actor, TreasurerActions actions, ReceiptQueries receipts, CancellationToken ct)
    {
        if (BadKey(key) is { } bad)
        {
            return bad;
        }
        var done = await actions.Refund(receiptId, body.Amount, body.Note, key, actor, ct);
        return done.Succeeded ? await Answer(receiptId, actor, receipts, ct) : Problems.From(done.Refusal);
    }

    private static async Task<Results<Ok<ReceiptView>, ProblemHttpResult>> ConfirmDeposit(long receiptId,
        [FromHeader(Name = IdempotencyHeader)] string? key, Actor actor, TreasurerActions actions, ReceiptQueries receipts, CancellationToken ct)
    {
        if (BadKey(key) is { } bad)
        {
            return bad;
        }
        var done = await actions.ConfirmDeposit(receiptId, key, actor, ct);
        return done.Succeeded ? await Answer(receiptId, actor, receipts, ct) : Problems.From(done.Refusal);
    }

    private static async Task<Results<Created<ReceiptView>, ProblemHttpResult>> RecordCash(string orgCode, CashRequest body,
        [FromHeader(Name = IdempotencyHeader)] string? key, Actor actor, ScopedLookup lookup, TreasurerActions actions, ReceiptQueries receipts, CancellationToken ct)
    {
        if (BadKey(key) is { } bad)
        {
            return bad;
        }
        var org = await lookup.Org(orgCode, actor, ct);
        if (!org.TryGet(out var o, out var refusal))
        {
            return Problems.From(refusal);
        }
        var done = await actions.RecordCash(o.Id, o.Path, body.MemberNo, body.Amount, body.ReceivedOn, body.Note, key, actor, ct);
        if (!done.Succeeded)
        {
            return Problems.From(done.Refusal);
        }
        var view = await receipts.Get(done.Value.ReceiptId, actor, ct);
        return TypedResults.Created($"/api/receipts/{done.Value.ReceiptId}", view.Value);
    }

    private static async Task<Results<Ok<ReconciliationView>, ProblemHttpResult>> Reconcile(string orgCode, string? period, Actor actor, ScopedLookup lookup,
        Reconciliation reconciliation, TimeProvider clock, CancellationToken ct)
    {
        var p = VietnamTime.CurrentPeriod(clock);
        if (period is not null && !Period.TryParse(period, out p))
        {
            return Problems.Field("period", "Kỳ phải có dạng yyyy-MM.");
        }
        var org = await lookup.Org(orgCode, actor, ct);
        if (!org.TryGet(out var o, out var refusal))
        {
            return Problems.From(refusal);
        }
        return TypedResults.Ok(await reconciliation.For(o.Id, p, ct));
    }

    private static async Task<Results<Ok<ReceiptView>, ProblemHttpResult>> Answer(long receiptId, Actor actor, ReceiptQueries receipts, CancellationToken ct)
    {
        var view = await receipts.Get(receiptId, actor, ct);
        return view.Succeeded ? TypedResults.Ok(view.Value) : Problems.From(view.Refusal);
    }

    private static ProblemHttpResult? BadKey(string? key) =>
        key is not null && (key.Length is 0 or > 100 || key.Any(char.IsControl))
            ? Problems.Field(IdempotencyHeader, "Idempotency-Key gồm 1–100 ký tự in được.")
            : null;
}

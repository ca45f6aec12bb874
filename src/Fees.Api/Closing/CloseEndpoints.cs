using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Organizations;
using Fees.Domain.Time;
using Fees.Persistence.Closing;
using Fees.Persistence.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fees.Api.Closing;

public sealed record WaiveRequest(string? Reason);
public sealed record CadenceRequest(string? Cadence);
public sealed record CancelRemittanceRequest(string? Reason);

/// <summary>
/// Period close and remittance: an organization closes a period (its split posted, a remittance order with a VietQR
/// into the parent's account), the parent's office waives a child that cannot close, sets the cadence, and follows the
/// orders; the retention policy is data an admin extends from a future period on.
/// </summary>
public static class CloseEndpoints
{
    public static void MapClosing(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/orgs/{orgCode}/periods/{period}/close", Close).RequireAuthorization(Policies.Recorders).ProducesProblems(400, 403, 404, 409, 422);
        app.MapGet("/api/orgs/{orgCode}/periods/{period}/close", Overview).RequireAuthorization(Policies.Staff).ProducesProblems(400, 403, 404);
        app.MapPost("/api/orgs/{orgCode}/periods/{period}/close-subtree", CloseSubtree).RequireAuthorization(Policies.Office).ProducesProblems(400, 403, 404);
        app.MapPost("/api/orgs/{orgCode}/periods/{period}/waive", Waive).RequireAuthorization(Policies.Office).ProducesProblems(400, 403, 404, 409, 422);
        app.MapPut("/api/orgs/{orgCode}/close-cadence", SetCadence).RequireAuthorization(Policies.Office).ProducesProblems(400, 403, 404);
        app.MapGet("/api/orgs/{orgCode}/remittances", OrdersOf).RequireAuthorization(Policies.Staff).ProducesProblems(403, 404);
        app.MapGet("/api/remittances/{orderId:long}", Get).RequireAuthorization(Policies.Staff).ProducesProblems(403, 404);
        app.MapPost("/api/remittances/{orderId:long}/instruct", Instruct).RequireAuthorization(Policies.Recorders).ProducesProblems(403, 404, 409);
        app.MapPost("/api/remittances/{orderId:long}/paid", Paid).RequireAuthorization(Policies.Recorders).ProducesProblems(403, 404, 409);
        app.MapPost("/api/remittances/{orderId:long}/cancel", Cancel).RequireAuthorization(Policies.Recorders).ProducesProblems(400, 403, 404, 409);
        app.MapGet("/api/retention-rules", Rules).RequireAuthorization(Policies.Staff);
        app.MapPost("/api/retention-rules", AddRule).RequireAuthorization(Policies.Admin).ProducesProblems(400, 409);
    }

    private static async Task<Results<Ok<CloseResult>, ProblemHttpResult>> Close(string orgCode, string period, Actor actor, ScopedLookup lookup,
        PeriodCloses closes, CancellationToken ct)
    {
        if (!(await InScope(orgCode, period, actor, lookup, ct)).TryGet(out var target, out var refusal))
        {
            return Problems.From(refusal);
        }
        var (o, p) = target;
        var closed = await closes.Close(o.Id, p, actor, ct);
        return closed.Succeeded ? TypedResults.Ok(closed.Value) : Problems.From(closed.Refusal);
    }

    private static async Task<Results<Ok<CloseOverview>, ProblemHttpResult>> Overview(string orgCode, string period, Actor actor, ScopedLookup lookup,
        CloseQueries queries, CancellationToken ct)
    {
        if (!(await InScope(orgCode, period, actor, lookup, ct)).TryGet(out var target, out var refusal))
        {
            return Problems.From(refusal);
        }
        var (o, p) = target;
        return TypedResults.Ok(await queries.Overview(o.Id, p, ct));
    }

    private static async Task<Results<Ok<CascadeResult>, ProblemHttpResult>> CloseSubtree(string orgCode, string period, Actor actor, ScopedLookup lookup,
        PeriodCloses closes, CancellationToken ct)
    {
        if (!(await InScope(orgCode, period, actor, lookup, ct)).TryGet(out var target, out var refusal))
        {
            return Problems.From(refusal);
        }
        var (o, p) = target;
        return TypedResults.Ok(await closes.CloseSubtree(o.Path, p, actor, ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Waive(string orgCode, string period, WaiveRequest body, Actor actor,
        ScopedLookup lookup, PeriodCloses closes, CancellationToken ct)
    {
        if (!(await InScope(orgCode, period, actor, lookup, ct)).TryGet(out var target, out var refusal))
        {
            return Problems.From(refusal);
        }
        var (o, p) = target;
        var done = await closes.Waive(o.Id, p, body.Reason, actor, ct);
        return done.Succeeded ? TypedResults.NoContent() : Problems.From(done.Refusal);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetCadence(string orgCode, CadenceRequest body, Actor actor, ScopedLookup lookup,
        PeriodCloses closes, CancellationToken ct)
    {
        var org = await lookup.Org(orgCode, actor, ct);
        if (!org.TryGet(out var o, out var refusal))
        {
            return Problems.From(refusal);
        }
        var done = await closes.SetCadence(o.Id, body.Cadence, actor, ct);
        return done.Succeeded ? TypedResults.NoContent() : Problems.From(done.Refusal);
    }

    private static async Task<Results<Ok<IReadOnlyList<RemittanceOrderView>>, ProblemHttpResult>> OrdersOf(string orgCode, Actor actor, ScopedLookup lookup,
        RemittanceOrders orders, CancellationToken ct)
    {
        var org = await lookup.Org(orgCode, actor, ct);
        if (!org.TryGet(out var o, out var refusal))
        {
            return Problems.From(refusal);
        }
        return TypedResults.Ok(await orders.OfOrg(o.Id, 200, ct));
    }

    private static async Task<Results<Ok<RemittanceOrderView>, ProblemHttpResult>> Get(long orderId, Actor actor, RemittanceOrders orders, CancellationToken ct) =>
        Answer(await orders.Get(orderId, actor, ct));

    private static async Task<Results<Ok<RemittanceOrderView>, ProblemHttpResult>> Instruct(long orderId, Actor actor, RemittanceOrders orders, CancellationToken ct) =>
        Answer(await orders.Instruct(orderId, actor, ct));

    private static async Task<Results<Ok<RemittanceOrderView>, ProblemHttpResult>> Paid(long orderId, Actor actor, RemittanceOrders orders, CancellationToken ct) =>
        Answer(await orders.MarkPaid(orderId, actor, ct));

    private static async Task<Results<Ok<RemittanceOrderView>, ProblemHttpResult>> Cancel(long orderId, CancelRemittanceRequest body, Actor actor,
        RemittanceOrders orders, CancellationToken ct) =>
        Answer(await orders.Cancel(orderId, body.Reason, actor, ct));

    private static async Task<Ok<IReadOnlyList<RetentionRuleView>>> Rules(RetentionRules rules, CancellationToken ct) =>
        TypedResults.Ok(await rules.List(ct));

    private static async Task<Results<Created<RetentionRuleView>, ProblemHttpResult>> AddRule(NewRetentionRule body, Actor actor, RetentionRules rules, CancellationToken ct)
    {
        var added = await rules.Add(body, actor, ct);
        return added.Succeeded ? TypedResults.Created("/api/retention-rules", added.Value) : Problems.From(added.Refusal);
    }

    /// <summary>The organization in the caller's scope (else 404/403) and the period named in the path (else 400).</summary>
    private static async Task<Fees.Domain.Outcomes.Outcome<(OrgUnit Org, Period Period)>> InScope(string orgCode, string period, Actor actor,
        ScopedLookup lookup, CancellationToken ct)
    {
        if (!Period.TryParse(period, out var p))
        {
            return Fees.Domain.Outcomes.Refusal.Field("period", "Kỳ phải có dạng yyyy-MM.");
        }
        return (await lookup.Org(orgCode, actor, ct)).Then(o => (o, p));
    }

    private static Results<Ok<RemittanceOrderView>, ProblemHttpResult> Answer(Fees.Domain.Outcomes.Outcome<RemittanceOrderView> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value) : Problems.From(outcome.Refusal);
}

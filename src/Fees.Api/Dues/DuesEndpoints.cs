using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Domain.Rules;
using Fees.Domain.Time;
using Fees.Persistence;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Dues;
using Fees.Persistence.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Dues;

public sealed record QuoteView(long Amount, string RuleId, string Explanation, string Outcome, IReadOnlyList<string> AppliedRuleIds);
public sealed record StatementView(long Id, string Period, string OrgCode, long Amount, long Paid, string Status, string Reference, string RuleId, string Explanation);
public sealed record FeeDecisionRequest(string? Reason, int? ReductionPercent, string? DecidedBy, string? DocumentRef, string? ValidFrom, string? ValidTo, string? Note);
public sealed record FeeDecisionView(string Reason, int ReductionPercent, string DecidedBy, string DocumentRef, string ValidFrom, string ValidTo, string? Note,
    string RecordedBy, DateTimeOffset RecordedAt);
public sealed record VoluntaryAmountRequest(long? Amount, string? ApprovedBy, string? DocumentRef, string? ValidFrom, string? ValidTo);
public sealed record CreatedId(long Id);
public sealed record StatementCancelRequest(string? Reason, string? DecidedBy, string? DocumentRef);

public static class DuesEndpoints
{
    public static void MapDues(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/fees/quote", Quote).RequireAuthorization(Policies.SignedIn).ProducesProblems(400);
        app.MapPost("/api/cycles/{period}/generate", Generate).RequireAuthorization(Policies.Importers).ProducesProblems(400, 409, 422);
        var member = app.MapGroup("/api/members/{memberNo}");
        member.MapGet("/statements", Statements).RequireAuthorization(Policies.SignedIn).ProducesProblems(404)
            .TracesAccess(AccessActions.StatementsRead, targetRouteValue: "memberNo");
        member.MapGet("/fee-decisions", Decisions).RequireAuthorization(Policies.SignedIn).ProducesProblems(404)
            .TracesAccess(AccessActions.FeeDecisionsRead, targetRouteValue: "memberNo");
        member.MapPost("/fee-decisions", RecordDecision).RequireAuthorization(Policies.Recorders).ProducesProblems(400, 404, 409, 422);
        member.MapPost("/voluntary-amounts", RecordVoluntary).RequireAuthorization(Policies.Recorders).ProducesProblems(400, 404, 409, 422);
        app.MapPost("/api/statements/{statementId:long}/cancel", Cancel).RequireAuthorization(Policies.Importers).ProducesProblems(400, 404, 409, 422);
    }

    /// <summary>
    /// Cancels a statement issued by mistake (issued, nothing paid) by a recorded decision: reason, who decided, the
    /// document; audited in the same transaction. The period's next generation issues what the corrected data says.
    /// </summary>
    private static async Task<Results<Ok<StatementCancellation>, ProblemHttpResult>> Cancel(long statementId, StatementCancelRequest request, Actor actor,
        StatementCancellations cancellations, CancellationToken ct)
    {
        var cancelled = await cancellations.Cancel(statementId, request.Reason, request.DecidedBy, request.DocumentRef, actor, ct);
        return cancelled.Succeeded ? TypedResults.Ok(cancelled.Value) : Problems.From(cancelled.Refusal);
    }

    /// <summary>What a member in these circumstances owes for a period, with the rule id and the arithmetic in Vietnamese.</summary>
    private static Results<Ok<QuoteView>, ProblemHttpResult> Quote(FeeQuoteRequest request)
    {
        var input = request.ToInput(FeeRuleBook.Default);
        if (!input.Succeeded)
        {
            return Problems.From(input.Refusal);
        }
        var quote = FeeCalculator.Quote(input.Value, FeeRuleBook.Default);
        return TypedResults.Ok(new QuoteView(quote.Amount.Dong, quote.RuleId, quote.Explanation, quote.OutcomeCode, quote.AppliedRuleIds));
    }

    private static async Task<Results<Ok<GenerationResult>, ProblemHttpResult>> Generate(string period, Actor actor, DuesGeneration generation, HttpContext http)
    {
        if (!Period.TryParse(period, out var p))
        {
            return Problems.Field("period", "Kỳ phải có dạng yyyy-MM (ví dụ 2026-08).");
        }
        // Not the request's token: a run commits batch by batch, so a caller who stops waiting (a proxy's timeout on a
        // national run) would otherwise leave the month half issued until the next run; once started, it runs to its end.
        var result = await generation.Generate(p, actor, CancellationToken.None);
        return result.Succeeded ? TypedResults.Ok(result.Value) : Problems.From(result.Refusal, http);
    }

    private static async Task<Results<Ok<List<StatementView>>, ProblemHttpResult>> Statements(string memberNo, Actor actor, ScopedLookup lookup, FeesDbContext db,
        CancellationToken ct)
    {
        var found = await lookup.Member(memberNo, actor, ct);
        if (!found.TryGet(out var member, out var refusal))
        {
            return Problems.From(refusal);
        }
        string reference = PaymentReference.ForMember(member.Id).Value;
        var rows = await (from s in db.Statements.AsNoTracking()
                          join o in db.Orgs on s.OrgId equals o.Id
                          where s.MemberId == member.Id
                          orderby s.Period
                          select new { s, o.Code, o.Path }).ToListAsync(ct);
        return TypedResults.Ok(rows.Where(r => member.OwedInScope(r.Path))
            .Select(r => new StatementView(r.s.Id, r.s.Period.ToString(), r.Code, r.s.Amount.Dong, r.s.Paid.Dong, r.s.Status.ToCode(), reference,
                r.s.RuleId, r.s.Explanation))
            .ToList());
    }

    private static async Task<Results<Ok<List<FeeDecisionView>>, ProblemHttpResult>> Decisions(string memberNo, Actor actor, ScopedLookup lookup,
        DuesDecisions decisions, CancellationToken ct)
    {
        var found = await lookup.Member(memberNo, actor, ct);
        if (!found.TryGet(out var member, out var refusal))
        {
            return Problems.From(refusal);
        }
        var rows = await decisions.DecisionsOf(member.Id, ct);
        return TypedResults.Ok(rows.Select(d => new FeeDecisionView(d.Reason.ToString(), d.ReductionPercent, d.DecidedBy, d.DocumentRef,
            d.ValidFrom.ToString(), d.ValidTo.ToString(), d.Note, d.RecordedBy, d.RecordedAt)).ToList());
    }

    /// <summary>Records a committee decision (FR-09/FR-10): who decided, the document, the periods (at most 12) and why.</summary>
    private static async Task<Results<Created<CreatedId>, ProblemHttpResult>> RecordDecision(string memberNo, FeeDecisionRequest request, Actor actor,
        ScopedLookup lookup, DuesDecisions decisions, CancellationToken ct)
    {
        var found = await lookup.Member(memberNo, actor, ct);
        if (!found.TryGet(out var member, out var refusal))
        {
            return Problems.From(refusal);
        }
        if (!member.Whole)
        {
            return Problems.Forbidden();
        }
        var recorded = await decisions.RecordDecision(member, request.Reason, request.ReductionPercent, request.DecidedBy, request.DocumentRef,
            request.ValidFrom, request.ValidTo, request.Note, actor, ct);
        return recorded.Succeeded
            ? TypedResults.Created($"/api/members/{memberNo}/fee-decisions", new CreatedId(recorded.Value))
            : Problems.From(recorded.Refusal);
    }

    /// <summary>Records a voluntary higher amount approved for a member from a period on (FR-11).</summary>
    private static async Task<Results<Created<CreatedId>, ProblemHttpResult>> RecordVoluntary(string memberNo, VoluntaryAmountRequest request, Actor actor,
        ScopedLookup lookup, DuesDecisions decisions, CancellationToken ct)
    {
        var found = await lookup.Member(memberNo, actor, ct);
        if (!found.TryGet(out var member, out var refusal))
        {
            return Problems.From(refusal);
        }
        if (!member.Whole)
        {
            return Problems.Forbidden();
        }
        var recorded = await decisions.RecordVoluntary(member, request.Amount, request.ApprovedBy, request.DocumentRef, request.ValidFrom, request.ValidTo, actor, ct);
        return recorded.Succeeded
            ? TypedResults.Created($"/api/members/{memberNo}/voluntary-amounts", new CreatedId(recorded.Value))
            : Problems.From(recorded.Refusal);
    }
}

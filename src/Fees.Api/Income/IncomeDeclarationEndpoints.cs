using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Members;
using Fees.Persistence.Queries;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fees.Api.Income;

/// <summary>Why the cell does not confirm a declaration.</summary>
public sealed record RejectDeclarationRequest(string? Reason);

/// <summary>
/// Income the member declares (issue 10 item 7): the member proposes new figures from a month on and may withdraw them;
/// the treasurer of the member's cell (or office staff in scope, or an admin) confirms or rejects them. A confirmed
/// declaration is the member's income data from its month on, used by the next generation.
/// </summary>
public static class IncomeDeclarationEndpoints
{
    public static void MapIncomeDeclarations(this IEndpointRouteBuilder app)
    {
        var member = app.MapGroup("/api/members/{memberNo}/income-declarations");
        member.MapPost("", Propose).RequireAuthorization(Policies.Members).ProducesProblems(400, 404, 409, 422);
        member.MapGet("", OfMember).RequireAuthorization(Policies.SignedIn).ProducesProblems(404)
            .TracesAccess(AccessActions.IncomeDeclarationsRead, targetRouteValue: "memberNo");
        app.MapGet("/api/orgs/{orgCode}/income-declarations", Pending).RequireAuthorization(Policies.Staff).ProducesProblems(404)
            .TracesAccess(AccessActions.IncomeDeclarationsRead, targetRouteValue: "orgCode", AccessTargetKind.Org);
        var declaration = app.MapGroup("/api/income-declarations/{id:long}");
        declaration.MapPost("/confirm", Confirm).RequireAuthorization(Policies.Recorders).ProducesProblems(404, 409);
        declaration.MapPost("/reject", Reject).RequireAuthorization(Policies.Recorders).ProducesProblems(400, 404, 409);
        declaration.MapPost("/withdraw", Withdraw).RequireAuthorization(Policies.Members).ProducesProblems(404, 409);
    }

    /// <summary>The member declares their SI salary, SI benefit and pension from a month on, with a note (one open declaration at a time).</summary>
    private static async Task<Results<Created<IncomeDeclarationView>, ProblemHttpResult>> Propose(string memberNo, IncomeDeclarationRequest request, Actor actor,
        IncomeDeclarations declarations, CancellationToken ct)
    {
        if (memberNo.Length > 20)
        {
            return Problems.NotFound("đảng viên");
        }
        var proposed = await declarations.Propose(memberNo, request, actor, ct);
        return proposed.Succeeded
            ? TypedResults.Created($"/api/members/{memberNo}/income-declarations", proposed.Value)
            : Problems.From(proposed.Refusal);
    }

    /// <summary>A member's declarations, newest first: the member, staff of the member's organization, admins.</summary>
    private static async Task<Results<Ok<IReadOnlyList<IncomeDeclarationView>>, ProblemHttpResult>> OfMember(string memberNo, Actor actor, ScopedLookup lookup,
        IncomeDeclarations declarations, CancellationToken ct)
    {
        var found = await lookup.Member(memberNo, actor, ct);
        if (!found.TryGet(out var member, out var refusal))
        {
            return Problems.From(refusal);
        }
        // Staff of an organization the member has left see what was owed there, not what the member earns now.
        return member.Whole ? TypedResults.Ok(await declarations.Of(member.Id, ct)) : Problems.Forbidden();
    }

    /// <summary>The declarations waiting for a decision from members placed today in the organization's subtree, oldest first.</summary>
    private static async Task<Results<Ok<IReadOnlyList<PendingIncomeDeclaration>>, ProblemHttpResult>> Pending(string orgCode, Actor actor, ScopedLookup lookup,
        IncomeDeclarations declarations, CancellationToken ct)
    {
        var found = await lookup.Org(orgCode, actor, ct);
        if (!found.TryGet(out var org, out var refusal))
        {
            return Problems.From(refusal);
        }
        return TypedResults.Ok(await declarations.Pending(org.Path, ct));
    }

    private static async Task<Results<Ok<IncomeDeclarationView>, ProblemHttpResult>> Confirm(long id, Actor actor, IncomeDeclarations declarations, CancellationToken ct) =>
        Answer(await declarations.Confirm(id, actor, ct));

    private static async Task<Results<Ok<IncomeDeclarationView>, ProblemHttpResult>> Reject(long id, RejectDeclarationRequest request, Actor actor,
        IncomeDeclarations declarations, CancellationToken ct) =>
        Answer(await declarations.Reject(id, request.Reason, actor, ct));

    private static async Task<Results<Ok<IncomeDeclarationView>, ProblemHttpResult>> Withdraw(long id, Actor actor, IncomeDeclarations declarations, CancellationToken ct) =>
        Answer(await declarations.Withdraw(id, actor, ct));

    private static Results<Ok<IncomeDeclarationView>, ProblemHttpResult> Answer(Fees.Domain.Outcomes.Outcome<IncomeDeclarationView> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value) : Problems.From(outcome.Refusal);
}

using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Persistence.Bank;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fees.Api.Receipts;

/// <summary>Receipts: money an organization received, with what it paid.</summary>
public static class ReceiptEndpoints
{
    public static void MapReceipts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/receipts/{receiptId:long}", Get).RequireAuthorization(Policies.Staff).ProducesProblems(404);
    }

    private static async Task<Results<Ok<ReceiptView>, ProblemHttpResult>> Get(long receiptId, Actor actor, ReceiptQueries receipts, CancellationToken ct)
    {
        var found = await receipts.Get(receiptId, actor, ct);
        return found.Succeeded ? TypedResults.Ok(found.Value) : Problems.From(found.Refusal);
    }
}

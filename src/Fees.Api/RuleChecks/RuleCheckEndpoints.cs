using System.Globalization;
using System.Text.Json;
using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.RuleChecks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fees.Api.RuleChecks;

/// <summary>
/// <c>{"law"?,"seed"?,"cases"?}</c>: a law id or <c>all</c> (default: all); a seed from 0 to 2^64 − 1, as a JSON number or a
/// string of digits (default: random, reported); cases per law from 1 to 100,000 (default 500). Each field is read as
/// raw JSON so that a value of the wrong kind is a 400 naming it.
/// </summary>
public sealed record RuleCheckRequest(JsonElement? Law, JsonElement? Seed, JsonElement? Cases);

public static class RuleCheckEndpoints
{
    public static void MapRuleChecks(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/audit/rule-checks", Run).RequireAuthorization(Policies.Auditors).ProducesProblems(400, 429);

    /// <summary>
    /// Runs the fee laws (property-based checks of the rules in force) with the auditor's seed and number of cases, and
    /// records the run in the audit log. A failed law carries the smallest counterexample found, in Vietnamese.
    /// </summary>
    private static async Task<Results<Ok<RuleCheckView>, ProblemHttpResult>> Run(RuleCheckRequest? request, Actor actor, RuleCheckRuns runs, HttpContext http,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string? law = ReadLaw(request?.Law, errors);
        ulong? seed = ReadSeed(request?.Seed, errors);
        long? cases = ReadCases(request?.Cases, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        var plan = runs.Runner.Plan(law, seed, cases);
        if (!plan.TryGet(out var valid, out var refusal))
        {
            return Problems.From(refusal);
        }
        var report = await runs.Run(actor, valid, ct);
        return report.TryGet(out var done, out var busy) ? TypedResults.Ok(RuleCheckView.From(done)) : Problems.From(busy, http);
    }

    private static string? ReadLaw(JsonElement? value, Dictionary<string, string[]> errors)
    {
        if (value is not { ValueKind: not JsonValueKind.Null } v)
        {
            return null;
        }
        if (v.ValueKind == JsonValueKind.String && v.GetString() is { Length: <= 100 } law)
        {
            return law;
        }
        errors["law"] = ["Quy luật là mã của một quy luật (ví dụ fee-never-negative) hoặc all."];
        return null;
    }

    private static ulong? ReadSeed(JsonElement? value, Dictionary<string, string[]> errors)
    {
        if (value is not { ValueKind: not JsonValueKind.Null } v)
        {
            return null;
        }
        if (v.ValueKind == JsonValueKind.Number && v.TryGetUInt64(out ulong number))
        {
            return number;
        }
        if (v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 and <= 20 } text
            && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong parsed))
        {
            return parsed;
        }
        errors["seed"] = ["Hạt giống (seed) là một số nguyên từ 0 đến 18446744073709551615."];
        return null;
    }

    private static long? ReadCases(JsonElement? value, Dictionary<string, string[]> errors)
    {
        if (value is not { ValueKind: not JsonValueKind.Null } v)
        {
            return null;
        }
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long cases))
        {
            return cases;
        }
        errors["cases"] = [$"Số trường hợp của mỗi quy luật là một số nguyên từ {RuleCheckPlan.MinCases} đến {FeeText.Number(RuleCheckPlan.MaxCases)}."];
        return null;
    }
}

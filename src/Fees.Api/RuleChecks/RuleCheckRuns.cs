using System.Text.Json.Serialization;
using Fees.Domain.Accounts;
using Fees.Domain.Outcomes;
using Fees.Domain.Rules;
using Fees.Persistence.Auditing;
using Fees.RuleChecks;

namespace Fees.Api.RuleChecks;

public sealed record CaseValueView(string Label, string Value);

/// <summary>The smallest failing case, in Vietnamese: inputs with labels, expected and actual, the rule ids, and all of it as one paragraph.</summary>
public sealed record CounterexampleView(IReadOnlyList<CaseValueView> Inputs, string Expected, string Actual, IReadOnlyList<string> RuleIds, int Shrinks,
    string Text);

/// <summary>One law's result. <c>outcome</c>: <c>passed</c>, <c>failed</c> or <c>stopped</c> (the time budget ran out).</summary>
public sealed record LawResultView(string Law, string Title, string Statement, string StatementEn, IReadOnlyList<string> RuleIds, bool Passed, string Outcome,
    int Cases, ulong Seed, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CounterexampleView? Counterexample);

/// <summary>A run: the seed (to replay it), the cases asked per law, the overall outcome and each law's result.</summary>
public sealed record RuleCheckView(ulong Seed, int Cases, string Outcome, IReadOnlyList<LawResultView> Results)
{
    public static RuleCheckView From(RuleCheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.Seed, report.Cases, report.OutcomeCode, [.. report.Results.Select(r => new LawResultView(
            r.Law.Id, r.Law.Title, r.Law.Statement, r.Law.StatementEn, r.Law.RuleIds, r.Passed, r.OutcomeCode, r.Cases, r.Seed,
            r.Counterexample is { } c
                ? new CounterexampleView([.. c.Inputs.Select(i => new CaseValueView(i.Label, i.Value))], c.Expected, c.Actual, c.RuleIds, c.Shrinks, c.ToText())
                : null))]);
    }
}

/// <summary>
/// An auditor's run of the fee laws, from the page or the API: runs the plan against the rule book in force within
/// <see cref="RuleCheckRunner.DefaultBudget"/>, then records it in the audit log (<c>rule_checks.run</c>: law, seed,
/// cases, outcome), since running the checks is an action an auditor performs.
/// </summary>
public sealed class RuleCheckRuns(RuleCheckRunner runner, AuditedActions audit)
{
    public const string AuditAction = "rule_checks.run";

    public RuleCheckRunner Runner => runner;

    public async Task<Outcome<RuleCheckReport>> Run(Actor actor, RuleCheckPlan plan, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(plan);
        var outcome = await runner.Run(plan, RuleCheckRunner.DefaultBudget, ct);
        if (outcome.TryGet(out var report, out _))
        {
            await audit.Record(actor, AuditEntry.Of(AuditAction, "rule_checks", plan.LawId, null, new
            {
                law = plan.LawId,
                seed = report.Seed,
                seedChosen = plan.SeedChosen,
                cases = report.Cases,
                outcome = report.OutcomeCode,
                results = report.Results.Select(r => new { law = r.Law.Id, outcome = r.OutcomeCode, cases = r.Cases }),
            }, actor.IsAdmin ? null : actor.ScopePath), ct);
        }
        return outcome;
    }
}

public static class RuleCheckServices
{
    /// <summary>The fee laws against the rule book in force (<see cref="FeeRuleBook.Default"/>), and the audited runs.</summary>
    public static IServiceCollection AddRuleChecks(this IServiceCollection services) =>
        services
            .AddSingleton(sp => new RuleCheckRunner(FeeRuleBook.Default, sp.GetRequiredService<TimeProvider>()))
            .AddScoped<RuleCheckRuns>();
}

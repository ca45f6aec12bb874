using Fees.Domain.Amounts;

namespace Fees.Domain.Rules;

/// <summary>What a quote concluded.</summary>
public enum FeeOutcome
{
    /// <summary>The member owes <see cref="FeeQuote.Amount"/> for the period.</summary>
    Charged,
    /// <summary>The member owes nothing (an exemption rule applied); the amount is zero.</summary>
    Exempt,
    /// <summary>The income a rule needs is missing; the amount is zero until the data arrives (<see cref="RuleIds.AwaitingData"/>).</summary>
    AwaitingData,
}

/// <summary>
/// The result of <see cref="FeeCalculator.Quote"/>: the outcome, the whole-đồng amount, the deciding rule id, the
/// Vietnamese explanation with the arithmetic, and every rule id that took part, in the order applied.
/// </summary>
public sealed record FeeQuote(
    FeeOutcome Outcome,
    Money Amount,
    string RuleId,
    string Explanation,
    IReadOnlyList<string> AppliedRuleIds)
{
    /// <summary>The outcome's code for JSON and the database: <c>charged</c>, <c>exempt</c>, <c>awaiting_data</c>.</summary>
    public string OutcomeCode => Outcome switch
    {
        FeeOutcome.Charged => "charged",
        FeeOutcome.Exempt => "exempt",
        FeeOutcome.AwaitingData => "awaiting_data",
        _ => throw new InvalidOperationException($"Unknown outcome {Outcome}."),
    };
}

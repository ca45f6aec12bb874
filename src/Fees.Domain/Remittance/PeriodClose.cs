using Fees.Domain.Amounts;

namespace Fees.Domain.Remittance;

/// <summary>
/// The split of one organization's close of one period.
/// Law: <c>Collected = OwnCollected + ReceivedFromChildren = Retained + Remitted</c>, to the đồng, always.
/// </summary>
/// <param name="Shortfall">
/// What the rule asked to pass up but the organization did not have (a subtree-based rule over a subtree whose cells
/// kept too much). Remitted is capped at Collected; a non-zero shortfall is a policy problem to report, never a
/// negative retained share.
/// </param>
public sealed record CloseSplit(
    Money OwnCollected,
    Money ReceivedFromChildren,
    Money Retained,
    Money Remitted,
    Money Shortfall,
    string? RuleId)
{
    public Money Collected => OwnCollected + ReceivedFromChildren;
}

/// <summary>The close computation: what an organization keeps and what it passes up, for one period.</summary>
public static class PeriodClose
{
    /// <summary>
    /// Splits a period's collections by a retention rule. With no rule (the centre, which has no parent) everything is
    /// retained. The remitted amount is rounded as the rule says and the rounding remainder stays retained.
    /// </summary>
    /// <param name="ownCollected">The organization's own members' dues for the period (its DuesCollected balance).</param>
    /// <param name="receivedFromChildren">What its children's closes for the period made payable to it.</param>
    /// <param name="subtreeCollections">What members paid for the period in the whole subtree, the organization's own included
    /// (only read by <see cref="RemittanceBasis.SubtreeCollections"/> rules).</param>
    public static CloseSplit Compute(Money ownCollected, Money receivedFromChildren, Money subtreeCollections, RetentionRule? rule)
    {
        if (ownCollected.IsNegative || receivedFromChildren.IsNegative || subtreeCollections.IsNegative)
        {
            throw new ArgumentOutOfRangeException(nameof(ownCollected), "Close amounts are never negative.");
        }
        var collected = ownCollected + receivedFromChildren;
        if (rule is null)
        {
            return new CloseSplit(ownCollected, receivedFromChildren, collected, Money.Zero, Money.Zero, null);
        }
        var basis = rule.Basis switch
        {
            RemittanceBasis.Collected => collected,
            RemittanceBasis.SubtreeCollections => subtreeCollections,
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule.Basis, null),
        };
        var asked = rule.RemitShare.Of(basis, rule.Rounding);
        var remitted = Money.Min(asked, collected);
        return new CloseSplit(ownCollected, receivedFromChildren, collected - remitted, remitted, asked - remitted, rule.Id);
    }
}

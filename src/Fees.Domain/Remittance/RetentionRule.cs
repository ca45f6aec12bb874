using Fees.Domain.Amounts;
using Fees.Domain.Organizations;
using Fees.Domain.Time;

namespace Fees.Domain.Remittance;

/// <summary>What the share passed up to the parent is a percentage of.</summary>
public enum RemittanceBasis
{
    /// <summary>What the organization itself closes: its own members' dues plus what its children remitted to it.</summary>
    Collected = 1,
    /// <summary>
    /// What members paid in the organization's whole subtree for the period (its cells' retained shares included).
    /// The legacy 342 reading "a base organization keeps 90% of its subtree's collections": it passes up 10% of the
    /// subtree, out of what its cells sent it.
    /// </summary>
    SubtreeCollections = 2,
}

/// <summary>One parent–child link, as the policy sees it.</summary>
public readonly record struct OrgLink(long ChildOrgId, OrgKind ChildKind, OrgSetting ChildSetting, long ParentOrgId, OrgKind ParentKind);

/// <summary>
/// Which links a rule covers. Null fields match anything. A rule naming the child organization is the most specific;
/// otherwise more named fields beat fewer.
/// </summary>
public sealed record LinkSelector(long? ChildOrgId = null, OrgKind? ChildKind = null, OrgSetting? ChildSetting = null, OrgKind? ParentKind = null)
{
    public static LinkSelector Any { get; } = new();

    public static LinkSelector ForChild(long childOrgId) => new(ChildOrgId: childOrgId);

    public bool Matches(OrgLink link) =>
        (ChildOrgId is null || ChildOrgId == link.ChildOrgId)
        && (ChildKind is null || ChildKind == link.ChildKind)
        && (ChildSetting is null || ChildSetting == link.ChildSetting)
        && (ParentKind is null || ParentKind == link.ParentKind);

    /// <summary>Higher wins: 100 for a named child, plus one per other named field.</summary>
    public int Specificity =>
        (ChildOrgId is null ? 0 : 100) + (ChildKind is null ? 0 : 1) + (ChildSetting is null ? 0 : 1) + (ParentKind is null ? 0 : 1);
}

/// <summary>
/// How much of what a child organization closes for a period it passes up to its parent; the rest it keeps.
/// Effective from a period (inclusive) until the next rule for the same selector takes over.
/// </summary>
/// <param name="Id">A stable name for explanations and audit (<c>legacy-342/cell</c>).</param>
/// <param name="RemitShare">The share passed up, of <paramref name="Basis"/>.</param>
/// <param name="Rounding">
/// How the remitted amount is rounded to whole đồng; the rounding remainder always stays with the organization
/// (retained = collected − remitted), so no đồng is lost.
/// </param>
public sealed record RetentionRule(
    string Id,
    LinkSelector Selector,
    Period EffectiveFrom,
    Percent RemitShare,
    RemittanceBasis Basis,
    Rounding Rounding = Rounding.Down,
    string Description = "")
{
    /// <summary>The share kept, when the basis is what the organization collected.</summary>
    public Percent KeepShare => Percent.FromBasisPoints(10_000 - RemitShare.BasisPoints);
}

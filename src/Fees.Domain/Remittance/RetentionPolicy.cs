using Fees.Domain.Amounts;
using Fees.Domain.Organizations;
using Fees.Domain.Time;

namespace Fees.Domain.Remittance;

/// <summary>
/// The retention (trích giữ lại) policy as data: a list of effective-dated rules per parent–child link.
/// </summary>
/// <remarks>
/// 01-QĐ/TW's ratios were not found, so nothing here is law: <see cref="Legacy342"/> reproduces the superseded
/// 342 ratios (and ARCHITECTURE §3's worked month) as a default that the lead and the office replace or override
/// per link. Resolution for a link and period: among rules that match the link and are in effect
/// (<c>EffectiveFrom ≤ period</c>), the most specific selector wins, and among those the latest
/// <c>EffectiveFrom</c>. The centre (no parent) keeps everything and needs no rule.
/// </remarks>
public sealed class RetentionPolicy
{
    public RetentionPolicy(string name, IEnumerable<RetentionRule> rules)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var list = rules.ToList();
        var clash = list.GroupBy(r => (r.Selector, r.EffectiveFrom)).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new ArgumentException(
                $"Rules {string.Join(", ", clash.Select(r => r.Id))} have the same selector and start; which applies would be arbitrary.",
                nameof(rules));
        }
        Name = name;
        Rules = list.AsReadOnly();
    }

    public string Name { get; }
    public IReadOnlyList<RetentionRule> Rules { get; }

    /// <summary>The rule for a link in a period, or null when none matches (a configuration gap to report).</summary>
    public RetentionRule? RuleFor(OrgLink link, Period period) =>
        Rules.Where(r => r.EffectiveFrom <= period && r.Selector.Matches(link))
            .OrderByDescending(r => r.Selector.Specificity)
            .ThenByDescending(r => r.EffectiveFrom)
            .FirstOrDefault();

    /// <summary>A copy with more rules (e.g. a per-link override, or a new policy from a period on).</summary>
    public RetentionPolicy With(params RetentionRule[] rules) => new(Name, Rules.Concat(rules));

    /// <summary>
    /// LEGACY: the ratios of the superseded 342 guidance, kept only as a configurable default because 01-QĐ/TW's
    /// ratios were not found. Effective from <see cref="Period.FirstOnSystem"/>.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item>a cell (chi bộ trực thuộc) or sub-committee (đảng bộ bộ phận) keeps 30% of what it collects, passes 70% up
    /// (342 allowed 30–50%; 30% is ARCHITECTURE §3's choice);</item>
    /// <item>a base organization in a commune keeps 90% of its subtree's collections, cells' shares included:
    /// it passes up 10% of the subtree;</item>
    /// <item>a base organization elsewhere (enterprises, agencies, armed forces) keeps 70%: passes up 30% of the subtree;</item>
    /// <item>each level above the base (upper, province) keeps 50% of what it collects and receives.</item>
    /// </list>
    /// </remarks>
    public static RetentionPolicy Legacy342 { get; } = new("legacy-342", LegacyRules(Period.FirstOnSystem));

    private static IEnumerable<RetentionRule> LegacyRules(Period from)
    {
        yield return new RetentionRule("legacy-342/cell", new LinkSelector(ChildKind: OrgKind.Cell), from,
            Percent.FromWholePercent(70), RemittanceBasis.Collected, Rounding.Down,
            "Chi bộ trực thuộc giữ lại 30%, nộp lên 70% số thu (342, đã hết hiệu lực).");
        yield return new RetentionRule("legacy-342/sub-committee", new LinkSelector(ChildKind: OrgKind.SubCommittee), from,
            Percent.FromWholePercent(70), RemittanceBasis.Collected, Rounding.Down,
            "Đảng bộ bộ phận giữ lại 30%, nộp lên 70% số thu (như chi bộ trực thuộc; 342 không nêu riêng).");
        foreach (var kind in new[] { OrgKind.BaseCommittee, OrgKind.BaseCell })
        {
            string stem = kind == OrgKind.BaseCommittee ? "base-committee" : "base-cell";
            yield return new RetentionRule($"legacy-342/{stem}/commune", new LinkSelector(ChildKind: kind, ChildSetting: OrgSetting.Commune), from,
                Percent.FromWholePercent(10), RemittanceBasis.SubtreeCollections, Rounding.Down,
                "Tổ chức cơ sở đảng ở xã, phường giữ lại 90% số thu của toàn đảng bộ, nộp lên 10% (342, đã hết hiệu lực).");
            yield return new RetentionRule($"legacy-342/{stem}", new LinkSelector(ChildKind: kind), from,
                Percent.FromWholePercent(30), RemittanceBasis.SubtreeCollections, Rounding.Down,
                "Tổ chức cơ sở đảng khác giữ lại 70% số thu của toàn đảng bộ, nộp lên 30% (342, đã hết hiệu lực).");
        }
        foreach (var kind in new[] { OrgKind.Upper, OrgKind.Province })
        {
            yield return new RetentionRule($"legacy-342/{kind.ToCode()}", new LinkSelector(ChildKind: kind), from,
                Percent.FromWholePercent(50), RemittanceBasis.Collected, Rounding.Down,
                "Mỗi cấp trên cơ sở giữ lại 50%, nộp lên 50% số thu và số cấp dưới nộp lên (342, đã hết hiệu lực).");
        }
    }
}

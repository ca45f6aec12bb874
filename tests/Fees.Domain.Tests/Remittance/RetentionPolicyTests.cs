using Fees.Domain.Amounts;
using Fees.Domain.Organizations;
using Fees.Domain.Remittance;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Remittance;

public sealed class RetentionPolicyTests
{
    private static readonly Period Aug = Period.Of(2026, 8);
    private static readonly OrgLink CellUnderBase = new(5, OrgKind.Cell, OrgSetting.Commune, 4, OrgKind.BaseCommittee);

    [Fact]
    public void LegacyPolicy_IsNamedLegacy_AndCoversEveryLinkBelowTheCentre()
    {
        Assert.Equal("legacy-342", RetentionPolicy.Legacy342.Name);
        foreach (var (child, parent) in new[]
                 {
                     (OrgKind.Province, OrgKind.Central), (OrgKind.Upper, OrgKind.Province), (OrgKind.BaseCommittee, OrgKind.Upper),
                     (OrgKind.BaseCell, OrgKind.Province), (OrgKind.SubCommittee, OrgKind.BaseCommittee), (OrgKind.Cell, OrgKind.SubCommittee),
                 })
        {
            foreach (var setting in Enum.GetValues<OrgSetting>())
            {
                Assert.NotNull(RetentionPolicy.Legacy342.RuleFor(new OrgLink(9, child, setting, 8, parent), Aug));
            }
        }
        Assert.Null(RetentionPolicy.Legacy342.RuleFor(CellUnderBase, Period.Of(2026, 7)));
    }

    [Fact]
    public void ALinkOverride_BeatsTheKindRule_AndALaterRuleTakesOverFromItsPeriod()
    {
        var policy = RetentionPolicy.Legacy342.With(
            new RetentionRule("cell-5-keeps-half", LinkSelector.ForChild(5), Period.Of(2026, 10), Percent.FromWholePercent(50), RemittanceBasis.Collected),
            new RetentionRule("cells-2027", new LinkSelector(ChildKind: OrgKind.Cell), Period.Of(2027, 1), Percent.FromWholePercent(60), RemittanceBasis.Collected));
        Assert.Equal("legacy-342/cell", policy.RuleFor(CellUnderBase, Aug)!.Id);
        Assert.Equal("cell-5-keeps-half", policy.RuleFor(CellUnderBase, Period.Of(2026, 10))!.Id);
        Assert.Equal("cell-5-keeps-half", policy.RuleFor(CellUnderBase, Period.Of(2027, 3))!.Id);
        Assert.Equal("cells-2027", policy.RuleFor(CellUnderBase with { ChildOrgId = 6 }, Period.Of(2027, 3))!.Id);
    }

    [Fact]
    public void TwoRulesWithTheSameSelectorAndStart_AreRefused() =>
        Assert.Throws<ArgumentException>(() => RetentionPolicy.Legacy342.With(
            new RetentionRule("dup", new LinkSelector(ChildKind: OrgKind.Cell), Period.FirstOnSystem, Percent.FromWholePercent(50), RemittanceBasis.Collected)));

    [Fact]
    public void RoundingRemainder_StaysRetained()
    {
        var rule = new RetentionRule("r", LinkSelector.Any, Aug, Percent.FromWholePercent(70), RemittanceBasis.Collected);
        var split = PeriodClose.Compute(Money.Vnd(54_757), Money.Zero, Money.Vnd(54_757), rule);
        Assert.Equal(38_329, split.Remitted.Dong); // 38 329.9 rounded down
        Assert.Equal(16_428, split.Retained.Dong);
    }

    [Fact]
    public void ASubtreeRuleAskingMoreThanWasCollected_IsCapped_AndReportsTheShortfall()
    {
        var rule = new RetentionRule("r", LinkSelector.Any, Aug, Percent.FromWholePercent(10), RemittanceBasis.SubtreeCollections);
        var split = PeriodClose.Compute(Money.Zero, Money.Vnd(50), Money.Vnd(1_000), rule);
        Assert.Equal((50, 0, 50), (split.Remitted.Dong, split.Retained.Dong, split.Shortfall.Dong));
    }
}

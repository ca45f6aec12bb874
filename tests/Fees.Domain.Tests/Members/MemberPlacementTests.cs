using Fees.Domain.Members;

namespace Fees.Domain.Tests.Members;

/// <summary>Where a member pays on a date: temporary activity first, then the latest start.</summary>
public class MemberPlacementTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 5, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DuesPlacementOn_PrefersTemporaryActivity_ThenTheLatestStart()
    {
        var home = MemberPlacement.Open(1, 10, PlacementKind.Official, new DateOnly(1990, 1, 1), null, "t", null, Now);
        var away = MemberPlacement.Open(1, 20, PlacementKind.Temporary, new DateOnly(2026, 9, 1), new DateOnly(2026, 12, 1), "t", null, Now);
        Assert.Equal(20, MemberPlacement.DuesPlacementOn([home, away], new DateOnly(2026, 10, 1))!.OrgId);
        Assert.Equal(10, MemberPlacement.DuesPlacementOn([home, away], new DateOnly(2026, 12, 1))!.OrgId);
        Assert.Null(MemberPlacement.DuesPlacementOn([away], new DateOnly(2027, 1, 1)));
    }

    [Fact]
    public void CloseOn_EndsAnOpenPlacementOnce_AndNotBeforeItBegan()
    {
        var home = MemberPlacement.Open(1, 10, PlacementKind.Official, new DateOnly(2020, 1, 1), null, "t", null, Now);
        Assert.Throws<ArgumentOutOfRangeException>(() => home.CloseOn(new DateOnly(2020, 1, 1)));
        home.CloseOn(new DateOnly(2026, 9, 1));
        Assert.False(home.IsInForceOn(new DateOnly(2026, 9, 1)));
        Assert.True(home.IsInForceOn(new DateOnly(2026, 8, 31)));
        Assert.Throws<InvalidOperationException>(() => home.CloseOn(new DateOnly(2026, 10, 1)));
    }

    [Fact]
    public void Open_RefusesTemporaryActivityWithoutAnEnd()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MemberPlacement.Open(1, 20, PlacementKind.Temporary, new DateOnly(2026, 9, 1), null, "t", null, Now));
    }
}

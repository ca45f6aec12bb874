using Fees.Domain.Dues;
using Fees.Domain.Matching;

namespace Fees.Domain.Tests.Matching;

public class ReceiptResolverTests
{
    private const long Here = MatchingWorld.OrgA;
    private static readonly PaymentReference Duc = PaymentReference.ForMember(1042);
    private static readonly PaymentReference DucSuperseded = PaymentReference.NewRequest(5002);
    private static readonly PaymentReference Mai = PaymentReference.ForMember(1043);
    private static readonly PaymentReference Nam = PaymentReference.ForMember(2077);
    private static readonly PaymentReference Nobody = PaymentReference.ForMember(987_654);

    private static ReceiptResolution Resolve(string content, long org = Here) => MatchingWorld.Resolve(content, org);

    [Fact]
    public void Resolve_PostsToTheMember_WhenTheReceivingOrganizationCollectsFromThem()
    {
        var resolution = Assert.IsType<ReceiptResolution.ToMember>(Resolve($"{Duc} DANG PHI"));
        Assert.Equal(1042, resolution.MemberId);
        Assert.Equal(Duc, resolution.Found.Reference);
        Assert.Equal(ReferenceStatus.Standing, resolution.Owner.Status);
        Assert.True(resolution.IsAutoPosted);
    }

    [Fact]
    public void Resolve_PostsASupersededRequest_ToItsMember()
    {
        var resolution = Assert.IsType<ReceiptResolution.ToMember>(Resolve($"{DucSuperseded} DANG PHI T8"));
        Assert.Equal(1042, resolution.MemberId);
        Assert.Equal(ReferenceStatus.Superseded, resolution.Owner.Status);
    }

    [Fact]
    public void Resolve_KeepsAnUnknownReference_InSuspense()
    {
        var resolution = Assert.IsType<ReceiptResolution.UnknownReference>(Resolve($"{Nobody} dang phi"));
        Assert.Equal(Nobody, resolution.Found.Reference);
        Assert.False(resolution.IsAutoPosted);
    }

    [Fact]
    public void Resolve_FlagsAMemberOfAnotherOrganization_WithoutPosting()
    {
        var resolution = Assert.IsType<ReceiptResolution.OtherOrganization>(Resolve($"{Nam} dang phi"));
        Assert.Equal(2077, resolution.MemberId);
        Assert.Equal([MatchingWorld.OrgB], resolution.CollectingOrgIds);
        Assert.False(resolution.IsAutoPosted);
    }

    [Fact]
    public void Resolve_PostsAMovedMember_AtBothOrganizationsThatCollectFromThem()
    {
        var moved = PaymentReference.ForMember(1099);
        Assert.IsType<ReceiptResolution.ToMember>(Resolve($"{moved}", MatchingWorld.OrgA));
        Assert.IsType<ReceiptResolution.ToMember>(Resolve($"{moved}", MatchingWorld.OrgB));
        Assert.IsType<ReceiptResolution.OtherOrganization>(Resolve($"{moved}", 30));
    }

    [Fact]
    public void Resolve_PostsSeveralReferencesOfOneMember_ToThatMember_UnderTheFirst()
    {
        var resolution = Assert.IsType<ReceiptResolution.ToMember>(Resolve($"{DucSuperseded} {Duc}"));
        Assert.Equal(1042, resolution.MemberId);
        Assert.Equal(DucSuperseded, resolution.Found.Reference);
    }

    [Fact]
    public void Resolve_KeepsReferencesOfTwoMembers_InSuspense()
    {
        var resolution = Assert.IsType<ReceiptResolution.Ambiguous>(Resolve($"{Duc} {Mai}"));
        Assert.Equal([Duc, Mai], resolution.Found.Select(f => f.Reference));
        Assert.Equal([1042L, 1043L], resolution.Owners.Select(o => o!.MemberId));
    }

    [Fact]
    public void Resolve_KeepsAKnownReferenceNextToAnUnknownOne_InSuspense()
    {
        var resolution = Assert.IsType<ReceiptResolution.Ambiguous>(Resolve($"{Duc} {Nobody}"));
        Assert.Null(resolution.Owners[1]);
    }

    [Fact]
    public void Resolve_FlagsSeveralReferencesOfOneMemberOfAnotherOrganization()
    {
        var resolution = Assert.IsType<ReceiptResolution.OtherOrganization>(Resolve($"{Nam} {PaymentReference.NewRequest(6001)}"));
        Assert.Equal(2077, resolution.MemberId);
    }

    [Fact]
    public void Resolve_KeepsOneMembersReferences_InSuspense_WhenOnlySomeAreCollectedHere()
    {
        // Phạm Minh Tuấn's standing reference is collected at 10 and 20, his request 6002 only at 20.
        var resolution = Resolve($"{PaymentReference.ForMember(1099)} {PaymentReference.NewRequest(6002)}", MatchingWorld.OrgA);
        Assert.IsType<ReceiptResolution.Ambiguous>(resolution);
    }

    [Fact]
    public void Resolve_HasNoReference_ForAnEmptyContent()
    {
        Assert.IsType<ReceiptResolution.NoReference>(Resolve(""));
    }

    [Fact]
    public void Resolve_Throws_WhenTheLookupGivesAMemberReferenceARequestOwner()
    {
        var match = TransferContent.MatchOf(Duc.Value);
        Assert.Throws<ArgumentException>(() =>
            ReceiptResolver.Resolve(match, Here, _ => ReferenceOwner.OfRequest(1042, Here, ReferenceStatus.Open)));
    }

    [Fact]
    public void Resolve_Throws_WhenTheLookupGivesARequestAStandingOwner()
    {
        var match = TransferContent.MatchOf(DucSuperseded.Value);
        Assert.Throws<ArgumentException>(() => ReceiptResolver.Resolve(match, Here, _ => ReferenceOwner.OfMember(1042, [Here])));
    }

    [Fact]
    public void ReferenceOwner_RefusesARequestThatIsStanding_AndNonPositiveMembers()
    {
        Assert.Throws<ArgumentException>(() => ReferenceOwner.OfRequest(1, Here, ReferenceStatus.Standing));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceOwner.OfMember(0, [Here]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceOwner.OfRequest(-1, Here, ReferenceStatus.Open));
    }

    public static TheoryData<string> EveryCase() => new()
    {
        $"{Duc}",
        "",
        $"{Nobody}",
        $"{Duc} {Mai}",
        $"{Nam}",
    };

    [Theory]
    [MemberData(nameof(EveryCase))]
    public void ToVietnamese_ExplainsEveryCase_InVietnamese(string content)
    {
        string text = Resolve(content).ToVietnamese();
        Assert.EndsWith(".", text, StringComparison.Ordinal);
        Assert.Contains(text, c => c > 127);
    }
}

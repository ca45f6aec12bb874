using Xunit.Abstractions;

namespace Fees.DemoData.Tests;

/// <summary>The landmarks the README and the demo users rely on exist and mean what they say.</summary>
public sealed class WellKnownTests(ITestOutputHelper output)
{
    private static GeneratedProvince P => GeneratedProvince.Default;

    private static DemoWellKnown W => P.Generator.WellKnown;

    [Fact]
    public void Landmarks_ArePrintedForTheReadme() => output.WriteLine(W.ToString());

    /// <summary>The values src/Fees.DemoData/README.md documents; change both together.</summary>
    [Fact]
    public void DefaultSeed_LandmarksAreTheDocumentedOnes() =>
        Assert.Equal(
            new DemoWellKnown(
                ProvinceCode: "HN",
                CommuneCommitteeCode: "HN.X001",
                CellCode: "HN.X001.B01.C01",
                SiblingCellCode: "HN.X001.B01.C02",
                CellMemberNo: "0175365500",
                CellTreasurerMemberNo: "0171059577",
                SiblingCellMemberNo: "0137477112",
                OrgWithoutBankAccountCode: "HN.X002.B02.C03",
                FiftyYearMemberNo: "0178245392",
                SiMemberWithoutIncomeNo: "0178068633"),
            W);

    [Fact]
    public void ProvinceAndCommune_AreWhatTheySay()
    {
        Assert.Equal(P.Orgs[0].Code, W.ProvinceCode);
        var commune = P.Orgs.Single(o => o.Code == W.CommuneCommitteeCode);
        Assert.Equal(("upper", "commune", W.ProvinceCode), (commune.Kind, commune.Setting, commune.ParentCode));
    }

    [Fact]
    public void CellAndSibling_ShareAParent_UnderABaseCommitteeOfTheCommune()
    {
        var cell = P.Orgs.Single(o => o.Code == W.CellCode);
        var sibling = P.Orgs.Single(o => o.Code == W.SiblingCellCode);
        Assert.Equal("cell", cell.Kind);
        Assert.Equal("cell", sibling.Kind);
        Assert.NotEqual(cell.Code, sibling.Code);
        Assert.Equal(cell.ParentCode, sibling.ParentCode);
        var parent = P.Orgs.Single(o => o.Code == cell.ParentCode);
        Assert.Equal("base_committee", parent.Kind);
        Assert.Equal(W.CommuneCommitteeCode, parent.ParentCode);
        Assert.NotEqual("", cell.BankAccount);
    }

    [Fact]
    public void CellMember_IsSi_WithIncomeEveryPeriod_AndUnderFiftyPartyYears()
    {
        var options = P.Generator.Options;
        var member = P.Members.Single(m => m.MemberNo == W.CellMemberNo);
        Assert.Equal((W.CellCode, "si"), (member.OrgCode, member.Category));
        Assert.True(GeneratedProvince.Date(member.PartyJoinedOn) > options.AsOf.AddYears(-50));
        int periods = options.LastIncomePeriod.MonthsSince(options.FirstIncomePeriod) + 1;
        Assert.Equal(periods, P.Income.Count(i => i.MemberNo == W.CellMemberNo && i.SiSalary.Length > 0));

        var treasurer = P.Members.Single(m => m.MemberNo == W.CellTreasurerMemberNo);
        Assert.Equal(W.CellCode, treasurer.OrgCode);
        Assert.NotEqual(W.CellMemberNo, W.CellTreasurerMemberNo);
        Assert.Equal(W.SiblingCellCode, P.Members.Single(m => m.MemberNo == W.SiblingCellMemberNo).OrgCode);
    }

    [Fact]
    public void OrgWithoutBankAccount_HasEmptyBankColumns()
    {
        var org = P.Orgs.Single(o => o.Code == W.OrgWithoutBankAccountCode);
        Assert.Equal(("", "", ""), (org.BankBin, org.BankAccount, org.BankAccountName));
    }

    [Fact]
    public void FiftyYearMember_JoinedFiftyOrMoreYearsAgo()
    {
        var member = P.Members.Single(m => m.MemberNo == W.FiftyYearMemberNo);
        Assert.True(GeneratedProvince.Date(member.PartyJoinedOn) <= P.Generator.Options.AsOf.AddYears(-50));
    }

    [Fact]
    public void SiMemberWithoutIncome_HasNoIncomeRows()
    {
        var member = P.Members.Single(m => m.MemberNo == W.SiMemberWithoutIncomeNo);
        Assert.Equal("si", member.Category);
        Assert.DoesNotContain(P.Income, i => i.MemberNo == W.SiMemberWithoutIncomeNo);
    }
}

using Fees.Domain.Banking;

namespace Fees.Domain.Tests.Banking;

public class NapasBanksTests
{
    /// <summary>Every BIN in research/vietqr-bank.md §2, with the short name it gives.</summary>
    public static TheoryData<string, string> ResearchBins() => new()
    {
        { "970436", "Vietcombank" }, { "970415", "VietinBank" }, { "970418", "BIDV" }, { "970405", "Agribank" },
        { "970422", "MB" }, { "970407", "Techcombank" }, { "970416", "ACB" }, { "970432", "VPBank" },
        { "970423", "TPBank" }, { "970403", "Sacombank" }, { "970437", "HDBank" }, { "970441", "VIB" },
        { "970443", "SHB" }, { "970440", "SeABank" }, { "970448", "OCB" }, { "970426", "MSB" },
        { "970431", "Eximbank" }, { "970449", "LPBank" },
        { "970454", "BVBank" }, { "970425", "ABBANK" }, { "970428", "Nam A Bank" }, { "970419", "NCB" },
        { "970412", "PVcomBank" }, { "970400", "Saigonbank" }, { "970429", "SCB" }, { "970409", "Bac A Bank" },
        { "970452", "Kienlongbank" }, { "970438", "BaoViet Bank" }, { "970424", "Shinhan Bank" }, { "970457", "Woori Bank" },
        { "970414", "MBV" }, { "970406", "Vikki Bank" },
        { "546034", "Cake" }, { "546035", "Ubank" }, { "963388", "Timo" }, { "963369", "Liobank" },
        { "668888", "KBank" }, { "458761", "HSBC" }, { "796500", "DBS" }, { "971025", "MoMo" },
        { "970459", "CIMB" }, { "422589", "CIMB" },
    };

    [Theory]
    [MemberData(nameof(ResearchBins))]
    public void TryFind_KnowsEveryResearchBin(string bin, string shortName)
    {
        Assert.True(NapasBanks.TryFind(bin, out var bank));
        Assert.Equal(bin, bank.Bin);
        Assert.Equal(shortName, bank.ShortName);
        Assert.False(string.IsNullOrWhiteSpace(bank.Name));
    }

    [Fact]
    public void TryFind_970436_IsVietcombank()
    {
        Assert.True(NapasBanks.TryFind("970436", out var bank));
        Assert.Equal("Vietcombank", bank.ShortName);
        Assert.Equal("Ngân hàng TMCP Ngoại thương Việt Nam", bank.Name);
        Assert.Null(bank.FormerName);
    }

    [Theory]
    [InlineData("970449", "LienVietPostBank")]
    [InlineData("970454", "Viet Capital Bank")]
    [InlineData("970414", "OceanBank")]
    [InlineData("970406", "DongA Bank")]
    public void TryFind_GivesTheFormerNameOfARenamedBank(string bin, string formerName)
    {
        Assert.True(NapasBanks.TryFind(bin, out var bank));
        Assert.Equal(formerName, bank.FormerName);
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("")]
    [InlineData("97043")]
    [InlineData("9704366")]
    [InlineData(" 970436")]
    [InlineData("VCB")]
    public void TryFind_RefusesAnUnknownBin(string bin)
    {
        Assert.False(NapasBanks.TryFind(bin, out var bank));
        Assert.Null(bank);
    }

    [Fact]
    public void All_HasUniqueSixDigitBins()
    {
        Assert.All(NapasBanks.All, b => Assert.Matches("^[0-9]{6}$", b.Bin));
        Assert.Equal(NapasBanks.All.Count, NapasBanks.All.Select(b => b.Bin).Distinct().Count());
        Assert.Equal(ResearchBins().Count, NapasBanks.All.Count);
    }
}

using Fees.BankGateway.Providers;

namespace Fees.BankGateway.Tests.Providers;

public class ProviderBankNamesTests
{
    [Theory]
    [InlineData("Vietcombank", "970436")]
    [InlineData("VCB", "970436")]
    [InlineData("MBBank", "970422")]
    [InlineData("MB Bank", "970422")]
    [InlineData("mb", "970422")]
    [InlineData("VietinBank", "970415")]
    [InlineData("ICB", "970415")]
    [InlineData("KienLongBank", "970452")]
    [InlineData("LienVietPostBank", "970449")]
    [InlineData("Ngân hàng TMCP Á Châu", "970416")]
    [InlineData("NGAN HANG TMCP NGOAI THUONG VIET NAM", "970436")]
    [InlineData("Nam A Bank", "970428")]
    [InlineData("NamABank", "970428")]
    public void ResolveBin_FindsAnUnambiguousName(string name, string bin) => Assert.Equal(bin, ProviderBankNames.ResolveBin(name));

    [Theory]
    [InlineData("CIMB")]
    [InlineData("Ngân hàng Mặt Trăng")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("BVB")]
    public void ResolveBin_ReturnsNull_ForAnUnknownOrAmbiguousName(string? name) => Assert.Null(ProviderBankNames.ResolveBin(name));

    [Fact]
    public void ResolveBin_ReturnsNull_WhenTwoFieldsNameDifferentBanks() => Assert.Null(ProviderBankNames.ResolveBin("VCB", "VPBank"));

    [Fact]
    public void ResolveBin_UsesWhicheverFieldResolves() => Assert.Equal("970432", ProviderBankNames.ResolveBin("???", "VPBank"));
}

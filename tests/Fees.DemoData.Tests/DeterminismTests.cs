using System.Globalization;

namespace Fees.DemoData.Tests;

public sealed class DeterminismTests
{
    private static readonly DemoProvinceOptions Small = new() { Members = 1_500 };

    [Fact]
    public void SameOptions_GiveByteIdenticalFiles()
    {
        var a = GeneratedProvince.Generate(Small);
        var b = GeneratedProvince.Generate(Small);
        Assert.Equal(a.OrgsText, b.OrgsText);
        Assert.Equal(a.MembersText, b.MembersText);
        Assert.Equal(a.IncomeText, b.IncomeText);
        Assert.Equal(a.Generator.WellKnown, b.Generator.WellKnown);
    }

    [Fact]
    public void AnotherSeed_GivesOtherFiles()
    {
        var a = GeneratedProvince.Generate(Small);
        var b = GeneratedProvince.Generate(Small with { Seed = 7 });
        Assert.NotEqual(a.OrgsText, b.OrgsText);
        Assert.NotEqual(a.MembersText, b.MembersText);
        Assert.NotEqual(a.IncomeText, b.IncomeText);
    }

    [Fact]
    public void WritingTwiceFromOneGenerator_GivesTheSameText()
    {
        var generator = new DemoProvinceGenerator(Small);
        string first = Write(generator.WriteMembers);
        string second = Write(generator.WriteMembers);
        Assert.Equal(first, second);
    }

    [Fact]
    public void OtherProvince_HasItsOwnCodesAndMemberNumbers()
    {
        var hanoi = GeneratedProvince.Generate(Small);
        var ngheAn = GeneratedProvince.Generate(Small with { ProvinceCode = "NA", ProvinceName = "Nghệ An", IsCity = false, ProvinceNumber = 40 });
        Assert.Equal("Tỉnh ủy Nghệ An", ngheAn.Orgs[0].Name);
        Assert.All(ngheAn.Orgs, o => Assert.StartsWith("NA", o.Code, StringComparison.Ordinal));
        Assert.All(ngheAn.Members, m => Assert.StartsWith("40", m.MemberNo, StringComparison.Ordinal));
        Assert.Empty(hanoi.Members.Select(m => m.MemberNo).Intersect(ngheAn.Members.Select(m => m.MemberNo), StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("hn")]
    [InlineData("")]
    [InlineData("HN.X")]
    [InlineData("ABCDEFGHIJK")]
    public void BadProvinceCode_IsRefused(string code) =>
        Assert.Throws<ArgumentException>(() => new DemoProvinceGenerator(new DemoProvinceOptions { ProvinceCode = code }));

    private static string Write(Func<TextWriter, long> write)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        write(w);
        return w.ToString();
    }
}

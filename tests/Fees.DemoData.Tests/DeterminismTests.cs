using System.Globalization;
using System.Security.Cryptography;
using System.Text;

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

    /// <summary>
    /// Golden hashes of the default province (as UTF-8), so a change to the demo data is always deliberate:
    /// demo users, the README and other teams' fixtures depend on it. Update with the README's landmarks.
    /// </summary>
    [Fact]
    public void DefaultOptions_GiveTheKnownFiles()
    {
        var p = GeneratedProvince.Default;
        Assert.Equal("a62e786e051750128f7c82fa23806b27eb221c1d1b26b62c2ca5ef0faea84150", Sha256(p.OrgsText));
        Assert.Equal("ea0e0c16997311cd7266f48e4869d1b24451ac3590086cd835e669156e10b0f7", Sha256(p.MembersText));
        Assert.Equal("8c187de9a0f31481d93ca484a4e3b322d986998ded8856bd7474ee42a4af550a", Sha256(p.IncomeText));
    }

    [Fact]
    public void WriteFiles_WritesUtf8WithoutBom_SameBytesAsTheWriters()
    {
        string dir = Path.Combine(Path.GetTempPath(), "demodata-" + Guid.NewGuid().ToString("N"));
        try
        {
            var generator = new DemoProvinceGenerator(Small);
            var counts = generator.WriteFiles(dir);
            byte[] orgs = File.ReadAllBytes(Path.Combine(dir, "orgs.csv"));
            Assert.NotEqual(0xEF, orgs[0]);
            Assert.Equal(Write(w => generator.WriteOrgs(w)), Encoding.UTF8.GetString(orgs));
            Assert.Equal(Write(generator.WriteMembers), File.ReadAllText(Path.Combine(dir, "members.csv"), Encoding.UTF8));
            Assert.Equal(Write(generator.WriteIncome), File.ReadAllText(Path.Combine(dir, "income.csv"), Encoding.UTF8));
            Assert.Equal(generator.CountRows(), counts);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Write(Func<TextWriter, long> write)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        write(w);
        return w.ToString();
    }
}

using Xunit.Abstractions;

namespace Fees.DemoData.Tests;

/// <summary>The province looks like a real one, with the data-quality problems a readiness report should find.</summary>
public sealed class RealismTests(ITestOutputHelper output)
{
    private static GeneratedProvince P => GeneratedProvince.Default;

    [Theory]
    [InlineData(300)]
    [InlineData(3_000)]
    [InlineData(25_000)]
    public void SizeParameter_IsHonoured(int members)
    {
        var generator = new DemoProvinceGenerator(new DemoProvinceOptions { Members = members });
        var counts = generator.CountRows();
        output.WriteLine($"{members} members: {counts.Orgs} orgs, {counts.IncomeRows} income rows");
        Assert.InRange(counts.Members, members * 95L / 100, members * 105L / 100);
        Assert.Equal(members, counts.Members);
        Assert.Equal(counts.Orgs, generator.OrgCount);
    }

    [Fact]
    public void CategoryMix_IsPlausible()
    {
        double Share(string category) => P.Members.Count(m => m.Category == category) / (double)P.Members.Count;
        foreach (string c in new[] { "si", "si_benefit", "pensioner", "student", "other", "social_pension" })
        {
            output.WriteLine($"{c}: {Share(c):P1}");
        }
        Assert.InRange(Share("si"), 0.35, 0.75);
        Assert.InRange(Share("pensioner"), 0.08, 0.40);
        Assert.InRange(Share("other"), 0.08, 0.45);
        Assert.InRange(Share("si_benefit"), 0.005, 0.06);
        Assert.InRange(Share("student"), 0.001, 0.05);
        Assert.InRange(Share("social_pension"), 0.0005, 0.03);
    }

    [Fact]
    public void CategoryMix_DependsOnTheSetting()
    {
        var settings = P.Orgs.ToDictionary(o => o.Code, o => o.Setting, StringComparer.Ordinal);
        var names = P.Orgs.ToDictionary(o => o.Code, o => o.Name, StringComparer.Ordinal);
        var enterprise = P.Members.Where(m => settings[m.OrgCode] == "enterprise").ToList();
        var villages = P.Members.Where(m => names[m.OrgCode].StartsWith("Chi bộ thôn", StringComparison.Ordinal)
            || names[m.OrgCode].StartsWith("Chi bộ xóm", StringComparison.Ordinal)).ToList();
        Assert.True(enterprise.Count(m => m.Category == "si") > enterprise.Count * 0.8);
        Assert.True(villages.Count(m => m.Category is "pensioner" or "other") > villages.Count * 0.7);
    }

    [Fact]
    public void Ages_AreConsistentWithCategories()
    {
        DateOnly asOf = P.Generator.Options.AsOf;
        int Age(MemberRow m)
        {
            var b = GeneratedProvince.Date(m.BirthDate);
            return asOf.Year - b.Year - (asOf < b.AddYears(asOf.Year - b.Year) ? 1 : 0);
        }
        Assert.All(P.Members.Where(m => m.Category == "si"), m => Assert.InRange(Age(m), 22, 62));
        Assert.All(P.Members.Where(m => m.Category == "student"), m => Assert.InRange(Age(m), 18, 25));
        Assert.All(P.Members.Where(m => m.Category == "pensioner"), m => Assert.InRange(Age(m), 55, 92));
        Assert.All(P.Members.Where(m => m.Category == "social_pension"), m => Assert.InRange(Age(m), 70, 92));
    }

    [Fact]
    public void SexAndStatus_HaveRealisticShares()
    {
        double male = P.Members.Count(m => m.Sex == "M") / (double)P.Members.Count;
        double probationary = P.Members.Count(m => m.Status == "probationary") / (double)P.Members.Count;
        output.WriteLine($"male {male:P1}, probationary {probationary:P1}");
        Assert.InRange(male, 0.52, 0.68);
        Assert.InRange(probationary, 0.025, 0.08);
    }

    [Fact]
    public void SomeMembers_HaveFiftyOrMorePartyYears()
    {
        DateOnly cutoff = P.Generator.Options.AsOf.AddYears(-50);
        int veterans = P.Members.Count(m => GeneratedProvince.Date(m.PartyJoinedOn) <= cutoff);
        output.WriteLine($"50+ party years: {veterans} of {P.Members.Count}");
        Assert.InRange(veterans, P.Members.Count / 200, P.Members.Count / 8);
    }

    [Fact]
    public void SomeSiMembers_HaveNoIncome_AndAFewMissTheLatestPeriod()
    {
        var options = P.Generator.Options;
        var periods = P.Income.GroupBy(i => i.MemberNo, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(i => i.Period).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var si = P.Members.Where(m => m.Category == "si").ToList();
        int none = si.Count(m => !periods.ContainsKey(m.MemberNo));
        int missLatest = si.Count(m => periods.TryGetValue(m.MemberNo, out var ps) && !ps.Contains(options.LastIncomePeriod.ToString()));
        output.WriteLine($"si {si.Count}: {none} without income, {missLatest} missing the latest period");
        Assert.InRange(none, 1, Math.Max(2, si.Count * 3 / 100));
        Assert.InRange(missLatest, 1, Math.Max(2, si.Count * 3 / 100));
        // Everyone else with income has every period.
        int periodCount = options.LastIncomePeriod.MonthsSince(options.FirstIncomePeriod) + 1;
        Assert.True(periods.Values.Count(ps => ps.Count == periodCount) > periods.Count * 0.97);
        Assert.All(P.Members.Where(m => m.Category is "si_benefit" or "pensioner"), m => Assert.True(periods.ContainsKey(m.MemberNo)));
        Assert.All(P.Members.Where(m => m.Category is "other" or "student" or "social_pension"), m => Assert.False(periods.ContainsKey(m.MemberNo)));
    }

    [Fact]
    public void WageRegions_FollowTheSetting()
    {
        var communes = P.Orgs.Where(o => o.Kind == "upper" && o.Setting == "commune").ToList();
        Assert.All(communes.Where(c => c.Name.StartsWith("Đảng ủy phường", StringComparison.Ordinal)), c => Assert.Contains(c.WageRegion, new[] { "1", "2" }));
        Assert.All(communes.Where(c => c.Name.StartsWith("Đảng ủy xã", StringComparison.Ordinal)), c => Assert.Contains(c.WageRegion, new[] { "2", "3", "4" }));
        Assert.True(P.Orgs.Select(o => o.WageRegion).Distinct().Count() >= 2);
    }

    [Fact]
    public void Agribank_IsTheCommonestBankInCommunes()
    {
        var commune = P.Orgs.Where(o => o.Setting == "commune" && o.BankBin.Length > 0).ToList();
        string top = commune.GroupBy(o => o.BankBin).OrderByDescending(g => g.Count()).First().Key;
        Assert.Equal("970405", top);
    }
}

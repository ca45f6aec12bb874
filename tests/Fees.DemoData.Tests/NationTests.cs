using System.Diagnostics;
using Fees.Domain.Organizations;
using Xunit.Abstractions;

namespace Fees.DemoData.Tests;

/// <summary>
/// The national data set: its committees, and its shape at scale 0.01 generated in full (about 56,000 members);
/// the totals at scale 1 from the organization trees alone (no member generated). Times are printed, never asserted.
/// </summary>
public sealed class NationTests(ITestOutputHelper output)
{
    [Fact]
    public void Units_AreThe34ProvincesAndTheSixCentralCommittees_AddingUpToTheNation()
    {
        var units = DemoNationGenerator.Units;
        Assert.Equal(40, units.Count);
        Assert.Equal(34, units.Count(u => u.Shape == DemoUnitShape.Province));
        Assert.Equal(6, units.Count(u => u.IsCity));
        Assert.Equal(6, units.Count(u => u.Shape != DemoUnitShape.Province));
        Assert.Equal(units.Count, units.Select(u => u.Code).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(units.Count, units.Select(u => u.Number).Distinct().Count());
        Assert.Equal(DemoNationGenerator.NationalMembers, units.Sum(u => (long)u.NationalMembers));
        Assert.Contains(units, u => u.Name == "Hà Nội" && u.Number == 1 && u.IsCity);
        Assert.Contains(units, u => u.Name == "Quân ủy Trung ương");
        Assert.DoesNotContain(units, u => u.Code == DemoCentre.Code);
    }

    [Fact]
    public void ScaleOne_Totals_FromTheTreesAlone_AreTheNationsSize()
    {
        var clock = Stopwatch.StartNew();
        var counts = new DemoNationGenerator().CountOrgs();
        output.WriteLine($"scale 1 in {clock.ElapsedMilliseconds:N0} ms: {counts}; base organizations {counts.BaseOrganizations:N0}, cells {counts.AllCells:N0}");

        Assert.Equal(5_600_000, counts.Members);
        Assert.Equal(1 + 40, counts.ProvinceLevel + 1);
        Assert.InRange(counts.BaseOrganizations, 45_000, 60_000);
        Assert.InRange(counts.AllCells, 200_000, 300_000);
    }

    [Fact]
    public void ScaleOnePercent_GeneratedInFull_IsAConsistentProportionalNation()
    {
        var clock = Stopwatch.StartNew();
        var nation = new DemoNationGenerator(new DemoNationOptions { Scale = 0.01m });
        var orgsText = new StringWriter();
        var membersText = new StringWriter();
        var incomeText = new StringWriter();
        var written = new DemoRowCounts(nation.WriteOrgs(orgsText), nation.WriteMembers(membersText), nation.WriteIncome(incomeText));
        output.WriteLine($"scale 0.01 in {clock.ElapsedMilliseconds:N0} ms: {written}");

        var orgs = CsvText.Parse(orgsText.ToString());
        var members = CsvText.Parse(membersText.ToString());
        var income = CsvText.Parse(incomeText.ToString());
        Assert.Equal(DemoProvinceGenerator.OrgsHeader, string.Join(',', orgs[0]));
        Assert.Equal(written.Orgs, orgs.Count - 1);
        Assert.Equal(written.Members, members.Count - 1);
        Assert.Equal(written.IncomeRows, income.Count - 1);
        Assert.Equal(nation.MemberCount, written.Members);

        // Codes unique nationally, parents before children, one root (the centre), 40 committees under it.
        var kindByCode = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in orgs.Skip(1))
        {
            Assert.True(kindByCode.TryAdd(row[0], row[2]), $"duplicate code {row[0]}");
            Assert.True(row[3] == "" || kindByCode.ContainsKey(row[3]), $"{row[0]} before its parent {row[3]}");
            Assert.True(row[0].Length <= 30, row[0]);
        }
        Assert.Equal("central", orgs[1][2]);
        Assert.Single(orgs.Skip(1), r => r[3] == "");
        Assert.Equal(40, orgs.Skip(1).Count(r => r[3] == DemoCentre.Code && r[2] == "province"));

        // Every member in a cell or base cell; member numbers unique; income only for members.
        var memberNos = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in members.Skip(1))
        {
            Assert.True(memberNos.Add(row[0]), $"duplicate member {row[0]}");
            Assert.Contains(kindByCode[row[2]], (string[])["cell", "base_cell"]);
        }
        Assert.All(income.Skip(1), r => Assert.Contains(r[0], memberNos));
        var holding = members.Skip(1).Select(m => m[2]).ToHashSet(StringComparer.Ordinal);
        Assert.All(kindByCode.Where(k => k.Value is "cell" or "base_cell"), k => Assert.Contains(k.Key, holding));

        // Proportional: each committee holds about a hundredth of its national share (at least the smallest province).
        foreach (var (unit, options) in DemoNationGenerator.Units.Zip(nation.UnitOptions))
        {
            Assert.Equal(Math.Max(300, (unit.NationalMembers + 50) / 100), options.Members);
        }
        var counts = nation.CountOrgs();
        Assert.Equal(written.Orgs, counts.Orgs);
        output.WriteLine($"scale 0.01: {counts}; base organizations {counts.BaseOrganizations:N0}, cells {counts.AllCells:N0}");
        // A small committee keeps a minimum of structure (eight communes, its agencies), so at a hundredth there are up to
        // about twice the proportional organizations; at a tenth the shape is within a fifth of the nation's.
        Assert.InRange(counts.BaseOrganizations, 45_000 / 100, 60_000 / 100 * 5 / 2);
        Assert.InRange(counts.AllCells, 200_000 / 100, 300_000 / 100 * 5 / 2);
        var tenth = new DemoNationGenerator(new DemoNationOptions { Scale = 0.1m }).CountOrgs();
        output.WriteLine($"scale 0.1: {tenth}; base organizations {tenth.BaseOrganizations:N0}, cells {tenth.AllCells:N0}");
        Assert.InRange(tenth.BaseOrganizations, 45_000 / 10 * 8 / 10, 60_000 / 10 * 12 / 10);
        Assert.InRange(tenth.AllCells, 200_000 / 10 * 8 / 10, 300_000 / 10 * 12 / 10);
    }

    [Fact]
    public void SameOptions_SameNation()
    {
        var options = new DemoNationOptions { Scale = 0.01m };
        var a = new StringWriter();
        var b = new StringWriter();
        new DemoNationGenerator(options).WriteOrgs(a);
        new DemoNationGenerator(options).WriteOrgs(b);
        Assert.Equal(a.ToString(), b.ToString());
        var c = new StringWriter();
        new DemoNationGenerator(options with { Seed = 7 }).WriteOrgs(c);
        Assert.NotEqual(a.ToString(), c.ToString());
        _ = OrgKind.Cell;
    }
}

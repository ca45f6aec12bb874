using System.Globalization;

namespace Fees.DemoData.Tests;

/// <summary>The three files of one generated province, parsed once per options and shared by the tests.</summary>
internal sealed class GeneratedProvince
{
    private static readonly Lazy<GeneratedProvince> DefaultInstance = new(() => Generate(new DemoProvinceOptions()));

    private GeneratedProvince(DemoProvinceGenerator generator, string orgs, string members, string income)
    {
        Generator = generator;
        OrgsText = orgs;
        MembersText = members;
        IncomeText = income;
        var o = CsvText.Parse(orgs);
        var m = CsvText.Parse(members);
        var i = CsvText.Parse(income);
        OrgsHeader = string.Join(',', o[0]);
        MembersHeader = string.Join(',', m[0]);
        IncomeHeader = string.Join(',', i[0]);
        Orgs = o.Skip(1).Select(r => new OrgRow(r)).ToList();
        Members = m.Skip(1).Select(r => new MemberRow(r)).ToList();
        Income = i.Skip(1).Select(r => new IncomeRow(r)).ToList();
    }

    public static GeneratedProvince Default => DefaultInstance.Value;

    public DemoProvinceGenerator Generator { get; }
    public string OrgsText { get; }
    public string MembersText { get; }
    public string IncomeText { get; }
    public string OrgsHeader { get; }
    public string MembersHeader { get; }
    public string IncomeHeader { get; }
    public List<OrgRow> Orgs { get; }
    public List<MemberRow> Members { get; }
    public List<IncomeRow> Income { get; }

    public static GeneratedProvince Generate(DemoProvinceOptions options)
    {
        var generator = new DemoProvinceGenerator(options);
        var orgs = new StringWriter(CultureInfo.InvariantCulture);
        var members = new StringWriter(CultureInfo.InvariantCulture);
        var income = new StringWriter(CultureInfo.InvariantCulture);
        generator.WriteOrgs(orgs);
        generator.WriteMembers(members);
        generator.WriteIncome(income);
        return new GeneratedProvince(generator, orgs.ToString(), members.ToString(), income.ToString());
    }

    public static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

internal sealed record OrgRow(string Code, string Name, string Kind, string ParentCode, string Setting, string WageRegion,
    string BankBin, string BankAccount, string BankAccountName, int Columns)
{
    public OrgRow(string[] r)
        : this(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r.Length)
    {
    }
}

internal sealed record MemberRow(string MemberNo, string FullName, string OrgCode, string Status, string Category,
    string BirthDate, string Sex, string PartyJoinedOn, int Columns)
{
    public MemberRow(string[] r)
        : this(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r.Length)
    {
    }
}

internal sealed record IncomeRow(string MemberNo, string Period, string SiSalary, string SiBenefit, string Pension, int Columns)
{
    public IncomeRow(string[] r)
        : this(r[0], r[1], r[2], r[3], r[4], r.Length)
    {
    }
}

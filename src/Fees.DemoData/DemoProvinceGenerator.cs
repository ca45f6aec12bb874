using System.Globalization;
using Fees.Domain.Members;
using Fees.Domain.Organizations;

namespace Fees.DemoData;

/// <summary>
/// A deterministic, streaming generator of one realistic province: its organization tree, members and income,
/// in exactly the import formats of CONTRACT.md §3.
/// </summary>
/// <remarks>
/// <para>The constructor builds only the organization tree (about one organization per 20 members: a few hundred
/// thousand for the whole country). Members and income rows are generated organization by organization while
/// writing, each member from its own seeded stream, so memory stays flat whatever <see cref="DemoProvinceOptions.Members"/> is.</para>
/// <para>Randomness is a SplitMix64 implemented in this assembly (integers only), not <see cref="System.Random"/>:
/// the same options give byte-identical output on any platform and .NET version.</para>
/// <para>Rows end with LF; fields are quoted only when they contain a comma, quote or line break.</para>
/// </remarks>
public sealed class DemoProvinceGenerator
{
    public const string OrgsHeader = "code,name,kind,parent_code,setting,wage_region,bank_bin,bank_account,bank_account_name";
    public const string MembersHeader = "member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on";
    public const string IncomeHeader = "member_no,period,si_salary,si_benefit,pension";

    private readonly List<OrgNode> _orgs;
    private readonly MemberFactory _members;
    private DemoWellKnown? _wellKnown;

    public DemoProvinceGenerator()
        : this(new DemoProvinceOptions())
    {
    }

    public DemoProvinceGenerator(DemoProvinceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _orgs = OrgTreeBuilder.Build(options);
        _members = new MemberFactory(options);
    }

    public DemoProvinceOptions Options { get; }

    /// <summary>Organizations in the orgs file (without the header).</summary>
    public int OrgCount => _orgs.Count;

    /// <summary>Members in the members file: exactly <see cref="DemoProvinceOptions.Members"/>.</summary>
    public long MemberCount => Options.Members;

    /// <summary>Landmarks for the README, demo users and tests; computed on first use by generating a few cells.</summary>
    public DemoWellKnown WellKnown => _wellKnown ??= FindWellKnown();

    /// <summary>Writes the orgs file (header first, parents before children). Returns the data rows written.</summary>
    public int WriteOrgs(TextWriter writer) => WriteOrgs(writer, header: true);

    /// <summary>Without the header: a national file concatenates the provinces' rows (<see cref="DemoNationGenerator"/>).</summary>
    internal int WriteOrgs(TextWriter writer, bool header)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (header)
        {
            writer.Write(OrgsHeader);
            Csv.EndRow(writer);
        }
        foreach (var org in _orgs)
        {
            Csv.Field(writer, org.Code);
            writer.Write(',');
            Csv.Field(writer, org.Name);
            writer.Write(',');
            writer.Write(org.Kind.ToCode());
            writer.Write(',');
            Csv.Field(writer, org.Parent?.Code ?? Options.ParentCode ?? "");
            writer.Write(',');
            writer.Write(org.Setting.ToCode());
            writer.Write(',');
            writer.Write(((int)org.Region).ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            if (org.HasBankAccount)
            {
                writer.Write(org.BankBin);
                writer.Write(',');
                writer.Write(org.BankAccount);
                writer.Write(',');
                Csv.Field(writer, BankAccountName.From(org.Name));
            }
            else
            {
                writer.Write(",,");
            }
            Csv.EndRow(writer);
        }
        return _orgs.Count;
    }

    /// <summary>Writes the members file, organization by organization. Returns the data rows written.</summary>
    public long WriteMembers(TextWriter writer) => WriteMembers(writer, header: true);

    internal long WriteMembers(TextWriter writer, bool header)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (header)
        {
            writer.Write(MembersHeader);
            Csv.EndRow(writer);
        }
        long rows = 0;
        foreach (var org in _orgs)
        {
            for (long seq = org.FirstMemberSeq; seq < org.FirstMemberSeq + org.MemberCount; seq++)
            {
                var m = _members.Create(org, seq);
                writer.Write(m.MemberNo);
                writer.Write(',');
                Csv.Field(writer, m.FullName);
                writer.Write(',');
                writer.Write(org.Code);
                writer.Write(',');
                writer.Write(m.Status.ToCode());
                writer.Write(',');
                writer.Write(m.Category.ToCode());
                writer.Write(',');
                writer.Write(m.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                writer.Write(',');
                writer.Write(m.Sex.ToCode());
                writer.Write(',');
                writer.Write(m.JoinedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                Csv.EndRow(writer);
                rows++;
            }
        }
        return rows;
    }

    /// <summary>
    /// Writes the income file: for each <c>si</c>, <c>si_benefit</c> and <c>pensioner</c> member one row per period
    /// of the range, in member order. Returns the data rows written.
    /// </summary>
    public long WriteIncome(TextWriter writer) => WriteIncome(writer, header: true);

    internal long WriteIncome(TextWriter writer, bool header)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (header)
        {
            writer.Write(IncomeHeader);
            Csv.EndRow(writer);
        }
        long rows = 0;
        foreach (var org in _orgs)
        {
            for (long seq = org.FirstMemberSeq; seq < org.FirstMemberSeq + org.MemberCount; seq++)
            {
                var category = _members.Category(org, seq);
                rows += _members.WriteIncome(writer, org, seq, _members.MemberNo(seq), category);
            }
        }
        return rows;
    }

    /// <summary>Organizations of the tree by kind (no member is generated).</summary>
    public IReadOnlyDictionary<OrgKind, int> OrgCountsByKind() =>
        _orgs.GroupBy(o => o.Kind).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Codes of the organizations that hold members, with how many each holds (no member is generated).</summary>
    public IEnumerable<(string Code, OrgKind Kind, int Members)> MemberHoldingOrgs() =>
        _orgs.Where(o => o.HoldsMembers).Select(o => (o.Code, o.Kind, o.MemberCount));

    /// <summary>Generates everything into <see cref="TextWriter.Null"/> and counts the data rows.</summary>
    public DemoRowCounts CountRows() =>
        new(WriteOrgs(TextWriter.Null), WriteMembers(TextWriter.Null), WriteIncome(TextWriter.Null));

    /// <summary>Writes <c>orgs.csv</c>, <c>members.csv</c> and <c>income.csv</c> (UTF-8 without BOM) into a directory.</summary>
    public DemoRowCounts WriteFiles(string directory) => Csv.WriteFiles(directory, WriteOrgs, WriteMembers, WriteIncome);

    private DemoWellKnown FindWellKnown()
    {
        var commune = _orgs.First(o => o.Kind == OrgKind.Upper && o.Setting == OrgSetting.Commune);
        DateOnly fiftyYearsBefore = Options.AsOf.AddYears(-50);

        // A cell of a commune's People's Committee offices (nearly all si) with a sibling, preferring the first commune.
        (OrgNode Cell, OrgNode Sibling, DemoMember Member, DemoMember Treasurer)? pick = null;
        var offices = _orgs.Where(o => o.Kind == OrgKind.BaseCommittee && o.Profile == LeafProfile.CommuneOffice)
            .OrderBy(o => o.Parent == commune ? 0 : 1);
        foreach (var office in offices)
        {
            var cells = _orgs.Where(o => o.Parent == office && o.Kind == OrgKind.Cell && o.HasBankAccount).ToList();
            for (int i = 0; i + 1 < cells.Count && pick is null; i++)
            {
                var members = MembersOf(cells[i]).ToList();
                var member = members.FirstOrDefault(m => m.Category == MemberCategory.Si
                    && m.JoinedOn > fiftyYearsBefore
                    && _members.HasCompleteIncome(cells[i], m.Seq, m.Category));
                if (member.MemberNo is not null)
                {
                    var treasurer = members.First(m => m.Seq != member.Seq);
                    pick = (cells[i], cells[i + 1], member, treasurer);
                }
            }
            if (pick is not null)
            {
                commune = office.Parent!;
                break;
            }
        }
        if (pick is not { } p)
        {
            throw new InvalidOperationException("No commune office cell with a si member and income: cannot name demo landmarks.");
        }

        var noAccount = _orgs.First(o => !o.HasBankAccount);
        DemoMember? veteran = null;
        DemoMember? awaiting = null;
        foreach (var org in _orgs.Where(o => o.MemberCount > 0))
        {
            foreach (var m in MembersOf(org))
            {
                if (veteran is null && m.JoinedOn <= fiftyYearsBefore)
                {
                    veteran = m;
                }
                if (awaiting is null && m.Category == MemberCategory.Si && _members.HasNoIncome(org, m.Seq, m.Category))
                {
                    awaiting = m;
                }
            }
            if (veteran is not null && awaiting is not null)
            {
                break;
            }
        }
        if (veteran is null || awaiting is null)
        {
            throw new InvalidOperationException("The province is too small to hold a 50-year member and a si member awaiting income.");
        }

        return new DemoWellKnown(
            Options.ProvinceCode,
            commune.Code,
            p.Cell.Code,
            p.Sibling.Code,
            p.Member.MemberNo,
            p.Treasurer.MemberNo,
            MembersOf(p.Sibling).First().MemberNo,
            noAccount.Code,
            veteran.Value.MemberNo,
            awaiting.Value.MemberNo);
    }

    private IEnumerable<DemoMember> MembersOf(OrgNode org)
    {
        for (long seq = org.FirstMemberSeq; seq < org.FirstMemberSeq + org.MemberCount; seq++)
        {
            yield return _members.Create(org, seq);
        }
    }
}

using Fees.Domain.Organizations;
using Fees.Domain.Time;

namespace Fees.DemoData;

/// <summary>One committee directly under the Central Committee, with its share of the nation's members at scale 1.</summary>
/// <param name="Code">Organization code prefix (unique nationally).</param>
/// <param name="Name">Province or city name without "tỉnh"/"thành phố", or the central-level committee's full name.</param>
/// <param name="Number">First two digits of its member numbers: the 2025 administrative code for a province; a free number for a central-level committee.</param>
public sealed record DemoNationUnit(string Code, string Name, int Number, bool IsCity, DemoUnitShape Shape, int NationalMembers);

/// <summary>What a national run generates: a seed, a scale of the nation and the income periods.</summary>
public sealed record DemoNationOptions
{
    public long Seed { get; init; } = DemoProvinceOptions.DefaultSeed;

    /// <summary>Fraction of the nation: 1 is 5.6 million members; 0.1 and 0.01 keep every committee, smaller (at least 300 members each).</summary>
    public decimal Scale { get; init; } = 1m;

    public Period FirstIncomePeriod { get; init; } = Period.Of(2026, 7);

    public Period LastIncomePeriod { get; init; } = Period.Of(2026, 11);

    public DateOnly AsOf { get; init; } = new(2026, 8, 1);
}

/// <summary>Organizations by charter level and members of a national run, counted from the trees alone.</summary>
public sealed record DemoNationCounts(int Orgs, int ProvinceLevel, int Upper, int BaseCommittees, int BaseCells, int SubCommittees, int Cells, long Members)
{
    /// <summary>Tổ chức cơ sở đảng: đảng bộ cơ sở and chi bộ cơ sở.</summary>
    public int BaseOrganizations => BaseCommittees + BaseCells;

    /// <summary>Every chi bộ: chi bộ trực thuộc and chi bộ cơ sở (the organizations that hold members).</summary>
    public int AllCells => Cells + BaseCells;
}

/// <summary>
/// The nation: Trung ương (<see cref="DemoCentre"/>, kind <c>central</c>) at the root, under it the 34 provinces and
/// cities after the 2025 merger (Nghị quyết 202/2025/QH15) and the six central-level committees (341-QĐ/TW), each a
/// <see cref="DemoProvinceGenerator"/> with its own code, member-number prefix and seed. About 5.6 million members at
/// scale 1, about 52,000 base organizations and 250,000 cells.
/// </summary>
/// <remarks>
/// <para>Only one committee's organization tree is in memory at a time (the largest, Hà Nội, about 25,000
/// organizations); members and income are streamed as in a province. Rows of the national files are the committees'
/// rows one after another, the centre first, so parents still come before children.</para>
/// <para>Members per province follow the 2024 population of the merged provinces (the capital weighted double); the
/// central-level committees' sizes are plausible demo figures, not published ones.</para>
/// </remarks>
public sealed class DemoNationGenerator
{
    /// <summary>"Hơn 5,6 triệu" party members (14th Congress, January 2026; research/fee-rules.md §7).</summary>
    public const int NationalMembers = 5_600_000;

    private static readonly (string Code, string Name, int Number, DemoUnitShape Shape, int Members)[] Central =
    [
        ("CQTW", "Đảng ủy các cơ quan Đảng Trung ương", 2, DemoUnitShape.PartyAgencies, 40_000),
        ("CPTW", "Đảng ủy Chính phủ", 3, DemoUnitShape.Government, 330_000),
        ("QHTW", "Đảng ủy Quốc hội", 5, DemoUnitShape.Assembly, 14_000),
        ("MTTW", "Đảng ủy Mặt trận Tổ quốc, các đoàn thể Trung ương", 6, DemoUnitShape.Front, 12_000),
        ("QUTW", "Quân ủy Trung ương", 7, DemoUnitShape.Army, 480_000),
        ("CATW", "Đảng ủy Công an Trung ương", 9, DemoUnitShape.Police, 260_000),
    ];

    // Code, name, administrative code, city, population in hundred thousands (2024, merged provinces; the capital counts double).
    private static readonly (string Code, string Name, int Number, bool City, int Weight)[] Provinces =
    [
        ("HN", "Hà Nội", 1, true, 174), ("HCM", "Thành phố Hồ Chí Minh", 79, true, 140), ("HP", "Hải Phòng", 31, true, 47),
        ("DNG", "Đà Nẵng", 48, true, 31), ("CT", "Cần Thơ", 92, true, 42), ("HUE", "Huế", 46, true, 14),
        ("TQ", "Tuyên Quang", 8, false, 19), ("CB", "Cao Bằng", 4, false, 6), ("LCH", "Lai Châu", 12, false, 5),
        ("LCA", "Lào Cai", 15, false, 18), ("TNG", "Thái Nguyên", 19, false, 18), ("DB", "Điện Biên", 11, false, 7),
        ("LS", "Lạng Sơn", 20, false, 8), ("SL", "Sơn La", 14, false, 13), ("PT", "Phú Thọ", 25, false, 42),
        ("BN", "Bắc Ninh", 24, false, 36), ("QNI", "Quảng Ninh", 22, false, 14), ("HY", "Hưng Yên", 33, false, 36),
        ("NB", "Ninh Bình", 37, false, 44), ("TH", "Thanh Hóa", 38, false, 37), ("NA", "Nghệ An", 40, false, 34),
        ("HT", "Hà Tĩnh", 42, false, 13), ("QT", "Quảng Trị", 44, false, 19), ("QNG", "Quảng Ngãi", 51, false, 22),
        ("GL", "Gia Lai", 52, false, 36), ("KH", "Khánh Hòa", 56, false, 22), ("LD", "Lâm Đồng", 68, false, 39),
        ("DL", "Đắk Lắk", 66, false, 33), ("DNA", "Đồng Nai", 75, false, 45), ("TNI", "Tây Ninh", 80, false, 33),
        ("VL", "Vĩnh Long", 86, false, 43), ("DT", "Đồng Tháp", 82, false, 44), ("CM", "Cà Mau", 96, false, 26),
        ("AG", "An Giang", 91, false, 49),
    ];

    /// <summary>The 40 committees under the centre, at scale 1: the 34 provinces and cities, then the central-level committees.</summary>
    public static IReadOnlyList<DemoNationUnit> Units { get; } = BuildUnits();

    private readonly DemoProvinceOptions[] _unitOptions;

    public DemoNationGenerator()
        : this(new DemoNationOptions())
    {
    }

    public DemoNationGenerator(DemoNationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Scale <= 0m || options.Scale > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Scale, "Scale must be in (0, 1].");
        }
        Options = options;
        _unitOptions = Units.Select(u => new DemoProvinceOptions
        {
            Seed = (options.Seed * 100) + u.Number,
            ProvinceCode = u.Code,
            ProvinceName = u.Name,
            ParentCode = DemoCentre.Code,
            IsCity = u.IsCity,
            Shape = u.Shape,
            ProvinceNumber = u.Number,
            Members = Math.Max(300, (int)decimal.Round(u.NationalMembers * options.Scale, MidpointRounding.AwayFromZero)),
            FirstIncomePeriod = options.FirstIncomePeriod,
            LastIncomePeriod = options.LastIncomePeriod,
            AsOf = options.AsOf,
        }).ToArray();
    }

    public DemoNationOptions Options { get; }

    /// <summary>Options of each committee's generator, in <see cref="Units"/> order.</summary>
    public IReadOnlyList<DemoProvinceOptions> UnitOptions => _unitOptions;

    /// <summary>Members of the whole run (exact, without generating anyone).</summary>
    public long MemberCount => _unitOptions.Sum(o => (long)o.Members);

    /// <summary>The generator of one committee (builds its tree: generate them one at a time).</summary>
    public DemoProvinceGenerator Unit(int index) => new(_unitOptions[index]);

    /// <summary>Counts organizations by level, building each committee's tree in turn (no member or income row is generated).</summary>
    public DemoNationCounts CountOrgs()
    {
        var byKind = new Dictionary<OrgKind, int> { [OrgKind.Central] = 1 };
        for (int i = 0; i < _unitOptions.Length; i++)
        {
            foreach (var (kind, n) in Unit(i).OrgCountsByKind())
            {
                byKind[kind] = byKind.GetValueOrDefault(kind) + n;
            }
        }
        return new DemoNationCounts(byKind.Values.Sum(), byKind.GetValueOrDefault(OrgKind.Province), byKind.GetValueOrDefault(OrgKind.Upper),
            byKind.GetValueOrDefault(OrgKind.BaseCommittee), byKind.GetValueOrDefault(OrgKind.BaseCell),
            byKind.GetValueOrDefault(OrgKind.SubCommittee), byKind.GetValueOrDefault(OrgKind.Cell), MemberCount);
    }

    /// <summary>Writes the national orgs file: the centre, then every committee's tree. Returns the data rows.</summary>
    public int WriteOrgs(TextWriter writer)
    {
        DemoCentre.WriteOrgs(writer);
        int rows = 1;
        for (int i = 0; i < _unitOptions.Length; i++)
        {
            rows += Unit(i).WriteOrgs(writer, header: false);
        }
        return rows;
    }

    /// <summary>Writes the national members file, committee by committee. Returns the data rows.</summary>
    public long WriteMembers(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(DemoProvinceGenerator.MembersHeader);
        Csv.EndRow(writer);
        long rows = 0;
        for (int i = 0; i < _unitOptions.Length; i++)
        {
            rows += Unit(i).WriteMembers(writer, header: false);
        }
        return rows;
    }

    /// <summary>Writes the national income file, committee by committee. Returns the data rows.</summary>
    public long WriteIncome(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(DemoProvinceGenerator.IncomeHeader);
        Csv.EndRow(writer);
        long rows = 0;
        for (int i = 0; i < _unitOptions.Length; i++)
        {
            rows += Unit(i).WriteIncome(writer, header: false);
        }
        return rows;
    }

    /// <summary>Writes <c>orgs.csv</c>, <c>members.csv</c> and <c>income.csv</c> of the nation (UTF-8 without BOM), streaming.</summary>
    public DemoRowCounts WriteFiles(string directory) => Csv.WriteFiles(directory, WriteOrgs, WriteMembers, WriteIncome);

    private static List<DemoNationUnit> BuildUnits()
    {
        int central = Central.Sum(c => c.Members);
        int provincial = NationalMembers - central;
        int totalWeight = Provinces.Sum(p => p.Weight);
        // Largest remainder, in integers, so the provinces add up to exactly the nation's members.
        var shares = Provinces.Select((p, i) => (Index: i, Floor: (int)((long)provincial * p.Weight / totalWeight),
            Remainder: (long)provincial * p.Weight % totalWeight)).ToArray();
        int left = provincial - shares.Sum(s => s.Floor);
        var extra = shares.OrderByDescending(s => s.Remainder).ThenBy(s => s.Index).Take(left).Select(s => s.Index).ToHashSet();
        var units = new List<DemoNationUnit>(Provinces.Length + Central.Length);
        for (int i = 0; i < Provinces.Length; i++)
        {
            var p = Provinces[i];
            units.Add(new DemoNationUnit(p.Code, p.Name, p.Number, p.City, DemoUnitShape.Province, shares[i].Floor + (extra.Contains(i) ? 1 : 0)));
        }
        units.AddRange(Central.Select(c => new DemoNationUnit(c.Code, c.Name, c.Number, false, c.Shape, c.Members)));
        return units;
    }
}

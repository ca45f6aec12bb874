using System.Globalization;
using Fees.Domain.Organizations;

namespace Fees.DemoData;

/// <summary>
/// Builds the organization tree of one province after the 2025 reform (fee-rules §6), parents before children:
/// <code>
/// province ─┬─ commune committees (upper, commune) ─┬─ base committees: residential areas (cells, sub-committees),
///           │                                        │   the commune People's Committee offices, enterprises
///           │                                        └─ base cells: schools, health station, small firms
///           ├─ Đảng ủy các cơ quan Đảng / Đảng ủy UBND (upper, other) ── agency base organizations
///           └─ armed forces and provincial enterprises (base committees directly under the province)
/// </code>
/// Members are not placed here: each member-holding organization gets a weight, and the requested number of
/// members is shared out by weight afterwards, exactly.
/// </summary>
/// <remarks>
/// The fact sheet could not verify whether a commune committee is a base organization with upper-level powers
/// or a level above the base; as it advises, levels are modelled by role: the commune committee is <c>upper</c>
/// and village cells sit in residential base committees under it.
/// </remarks>
internal sealed class OrgTreeBuilder
{
    private const string Agribank = "970405";
    private const string VietinBank = "970415";
    private const string Bidv = "970418";
    private const string Vietcombank = "970436";
    private const string MbBank = "970422";
    private const string Techcombank = "970407";
    private const string Acb = "970416";
    private const string VpBank = "970432";
    private const string Sacombank = "970403";
    private const string LpBank = "970449";

    /// <summary>The real NAPAS BINs used (vietqr-bank.md §2).</summary>
    public static readonly IReadOnlyList<string> Bins =
        [Vietcombank, VietinBank, Bidv, Agribank, MbBank, Techcombank, Acb, VpBank, Sacombank, LpBank];

    private static readonly string[] CommuneBins = [Agribank, VietinBank, Bidv, Vietcombank, LpBank, MbBank, Sacombank];
    private static readonly int[] CommuneBinWeights = [5500, 1300, 1300, 800, 500, 300, 300];
    private static readonly string[] PublicBins = [Bidv, VietinBank, Vietcombank, Agribank, MbBank];
    private static readonly int[] PublicBinWeights = [2500, 2500, 2000, 1500, 1000];
    private static readonly int[] ArmedBinWeights = [2000, 1500, 1500, 1000, 4000];
    private static readonly string[] EnterpriseBins = [Vietcombank, Techcombank, MbBank, Acb, VpBank, Bidv, Sacombank, VietinBank];
    private static readonly int[] EnterpriseBinWeights = [2000, 2000, 1500, 1200, 1200, 1000, 600, 500];

    private readonly DemoProvinceOptions _options;
    private readonly List<OrgNode> _orgs = [];
    private readonly List<string> _places;
    private DemoRandom _rng;
    private int _nextPlace;
    private bool _hasResidentialSub;

    private OrgTreeBuilder(DemoProvinceOptions options)
    {
        _options = options;
        _rng = DemoRandom.For(options.Seed, stream: 1, index: 0);
        _places = PlaceNames.ShuffledPairs(ref _rng);
    }

    public static List<OrgNode> Build(DemoProvinceOptions options)
    {
        var builder = new OrgTreeBuilder(options);
        builder.BuildTree();
        builder.LeaveSomeWithoutBankAccount();
        ShareOutMembers(builder._orgs, options.Members);
        return builder._orgs;
    }

    private void BuildTree()
    {
        int members = _options.Members;
        int communeMembers = members / 100 * 72 + members % 100 * 72 / 100;
        int directMembers = members - communeMembers;
        string p = _options.ProvinceCode;
        if (_options.Shape != DemoUnitShape.Province)
        {
            var committee = Add(p, _options.ProvinceName, OrgKind.Province, null, OrgSetting.Other, WageRegion.I, LeafProfile.None);
            BuildCentral(committee, members);
            return;
        }
        WageRegion provinceRegion = _options.IsCity ? WageRegion.I : WageRegion.II;
        var province = Add(p, Localize(_options.IsCity ? "Thành ủy " : "Tỉnh ủy ") + _options.ProvinceName,
            OrgKind.Province, null, OrgSetting.Other, provinceRegion, LeafProfile.None);

        // A real commune has ~1,700 members (5.6 M / 3,321); a demo province keeps at least 8 smaller ones for variety.
        int perCommune = Math.Clamp(communeMembers / 8, 250, 1_700);
        int communes = Math.Max(2, (communeMembers + (perCommune / 2)) / perCommune);
        int wards = 0;
        int rural = 0;
        for (int c = 0; c < communes; c++)
        {
            int budget = communeMembers / communes * _rng.Between(70, 130) / 100;
            bool ward = c == 1 || (c > 1 && _rng.Chance(_options.IsCity ? 4000 : 2000));
            string code = ward
                ? string.Create(CultureInfo.InvariantCulture, $"{p}.P{++wards:D3}")
                : string.Create(CultureInfo.InvariantCulture, $"{p}.X{++rural:D3}");
            AddCommune(province, code, ward, budget);
        }

        AddDirect(province, directMembers);
    }

    private void AddCommune(OrgNode province, string code, bool ward, int budget)
    {
        string place = NextPlace();
        string unit = (ward ? "phường " : "xã ") + place;
        // Urban wards are regions I–II, rural communes mostly III–IV (a city's suburban communes sometimes II).
        ReadOnlySpan<int> weights = (ward, _options.IsCity) switch
        {
            (true, true) => [7000, 3000, 0, 0],
            (true, false) => [2000, 8000, 0, 0],
            (false, true) => [0, 1500, 6000, 2500],
            (false, false) => [0, 0, 4500, 5500],
        };
        var region = (WageRegion)(1 + _rng.PickWeighted(weights));
        var commune = Add(code, "Đảng ủy " + unit, OrgKind.Upper, province, OrgSetting.Commune, region, LeafProfile.None);
        var seq = new Counter();

        // The commune People's Committee and its offices come first: officials, nearly all in social insurance.
        string[] offices = ward ? PlaceNames.WardOffices : PlaceNames.CommuneOffices;
        int officeCells = Math.Clamp(budget * 12 / 100 / 12, 2, offices.Length);
        var office = Add(seq.Next(commune, 'B'), "Đảng bộ cơ quan Ủy ban nhân dân " + unit, OrgKind.BaseCommittee,
            commune, OrgSetting.Commune, region, LeafProfile.CommuneOffice);
        var officeSeq = new Counter();
        for (int i = 0; i < officeCells; i++)
        {
            AddLeaf(officeSeq.Next(office, 'C'), "Chi bộ " + offices[i], OrgKind.Cell, office, OrgSetting.Commune,
                LeafProfile.CommuneOffice, _rng.Between(8, 18));
        }

        // Residential cells (villages or wards' residential quarters), grouped by former commune.
        LeafProfile residential = ward ? LeafProfile.UrbanResidential : LeafProfile.RuralResidential;
        int averageCell = ward ? 35 : 30;
        int cells = Math.Max(2, budget * 62 / 100 / averageCell);
        int groups = (cells + 14) / 15;
        for (int g = 0; g < groups; g++)
        {
            int groupCells = (cells / groups) + (g < cells % groups ? 1 : 0);
            var area = Add(seq.Next(commune, 'B'), "Đảng bộ khu dân cư " + NextPlace(), OrgKind.BaseCommittee, commune,
                OrgSetting.Commune, Drift(region), residential);
            AddResidentialCells(area, ward, groupCells, residential, averageCell);
        }

        // Schools and the health station: public service units, base cells of their own.
        int schools = Math.Clamp(budget * 12 / 100 / 14, 1, 8);
        int firstType = _rng.Next(PlaceNames.Schools.Length);
        for (int i = 0; i < schools; i++)
        {
            string type = PlaceNames.Schools[(firstType + i) % PlaceNames.Schools.Length];
            string name = type == "Trạm Y tế" ? "Chi bộ Trạm Y tế " + unit : $"Chi bộ {type} {(i < PlaceNames.Schools.Length ? place : NextPlace())}";
            AddLeaf(seq.Next(commune, 'C'), name, OrgKind.BaseCell, commune, OrgSetting.Other, LeafProfile.School,
                _rng.Between(8, 22));
        }

        // Local enterprises: a small firm as a base cell, a larger one as a base committee with workshop cells.
        int enterpriseBudget = budget * 14 / 100;
        while (enterpriseBudget >= 12)
        {
            int size = Math.Min(enterpriseBudget, _rng.Between(12, 90));
            enterpriseBudget -= size;
            AddEnterprise(commune, seq.Next(commune, size > 40 ? 'B' : 'C'), size);
        }
    }

    private void AddResidentialCells(OrgNode area, bool ward, int count, LeafProfile profile, int averageCell)
    {
        var seq = new Counter();
        string cellWord = ward ? (_rng.Chance(5000) ? "Chi bộ tổ dân phố " : "Chi bộ khu phố ") : (_rng.Chance(6000) ? "Chi bộ thôn " : "Chi bộ xóm ");
        int number = 0;
        // Large areas split off a đảng bộ bộ phận; the first area big enough always does, so every province shows one.
        int inSub = count >= 5 && (!_hasResidentialSub || _rng.Chance(4000)) ? _rng.Between(3, Math.Min(5, count - 2)) : 0;
        _hasResidentialSub |= inSub > 0;
        for (int i = 0; i < count - inSub; i++)
        {
            AddLeaf(seq.Next(area, 'C'), cellWord + (++number).ToString(CultureInfo.InvariantCulture), OrgKind.Cell, area,
                OrgSetting.Commune, profile, averageCell * _rng.Between(60, 140) / 100);
        }
        if (inSub > 0)
        {
            string[] quarters = ["Đông", "Tây", "Nam", "Bắc", "Trung"];
            var sub = Add(seq.Next(area, 'S'), "Đảng bộ bộ phận khu " + _rng.Pick(quarters), OrgKind.SubCommittee, area,
                OrgSetting.Commune, area.Region, profile);
            var subSeq = new Counter();
            for (int i = 0; i < inSub; i++)
            {
                AddLeaf(subSeq.Next(sub, 'C'), cellWord + (++number).ToString(CultureInfo.InvariantCulture), OrgKind.Cell, sub,
                    OrgSetting.Commune, profile, averageCell * _rng.Between(60, 140) / 100);
            }
        }
    }

    private void AddDirect(OrgNode province, int budget)
    {
        string p = _options.ProvinceCode;
        AddUnitWithCells(province, p + ".QS", "Đảng bộ " + Localize("Quân sự tỉnh"), budget * 8 / 100, OrgSetting.Other,
            LeafProfile.Armed, PlaceNames.MilitaryUnits, "Chi bộ Đại đội ", averageCell: 22);
        AddUnitWithCells(province, p + ".CA", "Đảng bộ " + Localize("Công an tỉnh"), budget * 14 / 100, OrgSetting.Other,
            LeafProfile.Armed, PlaceNames.PoliceUnits, "Chi bộ Công an khu vực ", averageCell: 25);

        var partyAgencies = Add(p + ".CQD", Localize("Đảng ủy các cơ quan Đảng tỉnh"), OrgKind.Upper, province,
            OrgSetting.Other, province.Region, LeafProfile.None);
        AddAgencies(partyAgencies, PlaceNames.PartyAgencies, budget * 8 / 100, publicServiceUnits: false);

        var government = Add(p + ".UB", Localize("Đảng ủy Ủy ban nhân dân tỉnh"), OrgKind.Upper, province,
            OrgSetting.Other, province.Region, LeafProfile.None);
        AddAgencies(government, PlaceNames.Departments, budget * 48 / 100, publicServiceUnits: true);

        int enterpriseBudget = budget * 22 / 100;
        int enterprises = Math.Max(1, enterpriseBudget / 120);
        for (int i = 1; i <= enterprises; i++)
        {
            string code = string.Create(CultureInfo.InvariantCulture, $"{p}.DN{i:D3}");
            AddEnterprise(province, code, Math.Max(12, enterpriseBudget / enterprises * _rng.Between(60, 140) / 100));
        }
    }

    /// <summary>
    /// A central-level committee (no communes): its agencies directly under it, or upper committees (ministries,
    /// military regions, police commands) over base organizations; the government's state groups are enterprises.
    /// </summary>
    private void BuildCentral(OrgNode committee, int budget)
    {
        switch (_options.Shape)
        {
            case DemoUnitShape.PartyAgencies:
                AddAgencies(committee, CentralNames.PartyAgencies, budget, publicServiceUnits: true, CentralNames.PartyUnits);
                break;
            case DemoUnitShape.Assembly:
                AddAgencies(committee, CentralNames.AssemblyAgencies, budget, publicServiceUnits: true, CentralNames.JusticeUnits);
                break;
            case DemoUnitShape.Front:
                AddAgencies(committee, CentralNames.FrontAgencies, budget, publicServiceUnits: true, CentralNames.FrontUnits);
                break;
            case DemoUnitShape.Government:
            {
                int ministries = budget * 70 / 100;
                var upperSeq = new Counter();
                int share = ministries / CentralNames.Ministries.Length;
                foreach (string ministry in CentralNames.Ministries)
                {
                    var upper = Add(upperSeq.Next(committee, 'U'), "Đảng ủy " + ministry, OrgKind.Upper, committee,
                        OrgSetting.Other, WageRegion.I, LeafProfile.None);
                    AddAgencies(upper, CentralNames.MinistryDepartments, Math.Max(60, share * _rng.Between(50, 150) / 100),
                        publicServiceUnits: true, CentralNames.MinistryUnits);
                }
                int groups = budget - ministries;
                share = groups / CentralNames.StateGroups.Length;
                foreach (string group in CentralNames.StateGroups)
                {
                    var upper = Add(upperSeq.Next(committee, 'U'), "Đảng ủy " + group, OrgKind.Upper, committee,
                        OrgSetting.Enterprise, WageRegion.I, LeafProfile.None);
                    var seq = new Counter();
                    int left = Math.Max(60, share * _rng.Between(50, 150) / 100);
                    while (left >= 12)
                    {
                        int size = Math.Min(left, _rng.Between(40, 400));
                        left -= size;
                        AddEnterprise(upper, seq.Next(upper, size > 40 ? 'B' : 'C'), size);
                    }
                }
                break;
            }
            case DemoUnitShape.Army:
                AddArmed(committee, CentralNames.ArmyCommands, CentralNames.ArmyUnits, budget, "Chi bộ Đại đội ", averageCell: 22);
                break;
            case DemoUnitShape.Police:
                AddArmed(committee, CentralNames.PoliceCommands, CentralNames.PoliceUnits, budget, "Chi bộ Đội ", averageCell: 20);
                break;
            default:
                throw new InvalidOperationException($"Unknown shape {_options.Shape}.");
        }
    }

    /// <summary>Upper committees (commands), each over numbered armed base committees of about 150–600 members.</summary>
    private void AddArmed(OrgNode committee, string[] commands, string[] units, int budget, string numberedCell, int averageCell)
    {
        var upperSeq = new Counter();
        int share = budget / commands.Length;
        int number = 0;
        foreach (string command in commands)
        {
            var upper = Add(upperSeq.Next(committee, 'U'), "Đảng ủy " + command, OrgKind.Upper, committee, OrgSetting.Other,
                WageRegion.I, LeafProfile.None);
            var seq = new Counter();
            int left = Math.Max(60, share * _rng.Between(70, 130) / 100);
            while (left >= 12)
            {
                int size = Math.Min(left, _rng.Between(150, 600));
                left -= size;
                string name = string.Create(CultureInfo.InvariantCulture, $"Đảng bộ {_rng.Pick(units)} {++number}");
                AddUnitWithCells(upper, seq.Next(upper, 'B'), name, size, OrgSetting.Other, LeafProfile.Armed,
                    ["Ban Chỉ huy"], numberedCell, averageCell);
            }
        }
    }

    /// <summary>
    /// The named agencies first; a large province adds public service units (upper-secondary schools, health
    /// centres, hospitals, project boards) named after places, so no agency grows to thousands of members.
    /// </summary>
    private void AddAgencies(OrgNode parent, string[] agencies, int budget, bool publicServiceUnits, string[]? units = null)
    {
        units ??= PlaceNames.PublicServiceUnits;
        var seq = new Counter();
        int count = Math.Clamp(budget / 40, 2, agencies.Length);
        count = publicServiceUnits ? Math.Max(count, budget / 90) : count;
        for (int i = 0; i < count; i++)
        {
            int size = Math.Max(6, budget / count * _rng.Between(50, 150) / 100);
            string name = i < agencies.Length
                ? Localize(agencies[i])
                : _rng.Pick(units) + " " + NextPlace();
            if (size < 40)
            {
                AddLeaf(seq.Next(parent, 'C'), "Chi bộ " + name, OrgKind.BaseCell, parent, OrgSetting.Other,
                    LeafProfile.Agency, size);
            }
            else
            {
                AddUnitWithCells(parent, seq.Next(parent, 'B'), "Đảng bộ " + name, size, OrgSetting.Other, LeafProfile.Agency,
                    ["Văn phòng"], "Chi bộ Phòng Nghiệp vụ ", averageCell: 18);
            }
        }
    }

    private void AddEnterprise(OrgNode parent, string code, int size)
    {
        string name = $"{_rng.Pick(PlaceNames.CompanyForms)} {_rng.Pick(PlaceNames.Industries)} {NextPlace()}";
        if (size <= 40)
        {
            AddLeaf(code, "Chi bộ " + name, OrgKind.BaseCell, parent, OrgSetting.Enterprise, LeafProfile.Enterprise, size);
            return;
        }
        AddUnitWithCells(parent, code, "Đảng bộ " + name, size, OrgSetting.Enterprise, LeafProfile.Enterprise,
            ["Văn phòng Công ty"], "Chi bộ " + _rng.Pick(PlaceNames.Workshops) + " ", averageCell: 20);
    }

    /// <summary>A base committee with named cells first, then numbered ones (and a sub-committee now and then).</summary>
    private void AddUnitWithCells(OrgNode parent, string code, string name, int budget, OrgSetting setting,
        LeafProfile profile, string[] namedCells, string numberedCell, int averageCell)
    {
        var unit = Add(code, name, OrgKind.BaseCommittee, parent, setting, Drift(parent.Region), profile);
        int cells = Math.Max(2, budget / averageCell);
        var seq = new Counter();
        int named = Math.Min(cells, namedCells.Length);
        for (int i = 0; i < named; i++)
        {
            AddLeaf(seq.Next(unit, 'C'), "Chi bộ " + namedCells[i], OrgKind.Cell, unit, setting, profile,
                averageCell * _rng.Between(60, 140) / 100);
        }
        int numbered = cells - named;
        if (numbered > 30)
        {
            // A big base committee groups its cells into đảng bộ bộ phận of 8–20 cells rather than fan out to hundreds.
            int number = 0;
            int block = 0;
            while (number < numbered)
            {
                int take = Math.Min(numbered - number, _rng.Between(8, 20));
                string blockName = profile == LeafProfile.Enterprise
                    ? "Đảng bộ bộ phận Chi nhánh " + NextPlace()
                    : "Đảng bộ bộ phận Khối " + (++block).ToString(CultureInfo.InvariantCulture);
                var blockSub = Add(seq.Next(unit, 'S'), blockName, OrgKind.SubCommittee, unit, setting, unit.Region, profile);
                var blockSeq = new Counter();
                for (int i = 0; i < take; i++)
                {
                    AddLeaf(blockSeq.Next(blockSub, 'C'), numberedCell + (++number).ToString(CultureInfo.InvariantCulture), OrgKind.Cell,
                        blockSub, setting, profile, averageCell * _rng.Between(60, 140) / 100);
                }
            }
            return;
        }
        int inSub = numbered >= 8 && _rng.Chance(3000) ? _rng.Between(3, 5) : 0;
        for (int i = 1; i <= numbered - inSub; i++)
        {
            AddLeaf(seq.Next(unit, 'C'), numberedCell + i.ToString(CultureInfo.InvariantCulture), OrgKind.Cell, unit, setting,
                profile, averageCell * _rng.Between(60, 140) / 100);
        }
        if (inSub > 0)
        {
            var sub = Add(seq.Next(unit, 'S'), "Đảng bộ bộ phận " + (profile == LeafProfile.Enterprise ? "Chi nhánh " : "Khối ") + NextPlace(),
                OrgKind.SubCommittee, unit, setting, unit.Region, profile);
            var subSeq = new Counter();
            for (int i = numbered - inSub + 1; i <= numbered; i++)
            {
                AddLeaf(subSeq.Next(sub, 'C'), numberedCell + i.ToString(CultureInfo.InvariantCulture), OrgKind.Cell, sub,
                    setting, profile, averageCell * _rng.Between(60, 140) / 100);
            }
        }
    }

    private void AddLeaf(string code, string name, OrgKind kind, OrgNode parent, OrgSetting setting, LeafProfile profile, int weight)
    {
        var leaf = Add(code, name, kind, parent, setting, Drift(parent.Region), profile);
        leaf.Weight = Math.Max(1, weight);
    }

    private OrgNode Add(string code, string name, OrgKind kind, OrgNode? parent, OrgSetting setting, WageRegion region, LeafProfile profile)
    {
        if (code.Length > 30)
        {
            throw new InvalidOperationException($"Organization code '{code}' is longer than 30 characters; use a shorter province code.");
        }
        // Organizations often bank where their parent does, but only within the same setting: a commune does not
        // follow the provincial committee's bank, nor a school its commune's.
        string bin = parent is not null && parent.Kind != OrgKind.Province && parent.Setting == setting && _rng.Chance(6500)
            ? parent.BankBin
            : DrawBin(setting, profile);
        var node = new OrgNode
        {
            Index = _orgs.Count,
            Code = code,
            Name = name,
            Kind = kind,
            Parent = parent,
            Setting = setting,
            Region = region,
            Profile = profile,
            BankBin = bin,
            BankAccount = AccountNumber(bin, _orgs.Count),
        };
        _orgs.Add(node);
        return node;
    }

    private string DrawBin(OrgSetting setting, LeafProfile profile) => setting switch
    {
        OrgSetting.Commune => CommuneBins[_rng.PickWeighted(CommuneBinWeights)],
        OrgSetting.Enterprise => EnterpriseBins[_rng.PickWeighted(EnterpriseBinWeights)],
        // MB began as the army's bank and still banks much of the armed forces.
        _ => PublicBins[_rng.PickWeighted(profile == LeafProfile.Armed ? ArmedBinWeights : PublicBinWeights)],
    };

    /// <summary>
    /// A plausible account number of the bank's usual length (9–14 digits). The last seven digits are a bijection
    /// of the organization's index, so no two organizations share an account whatever the random prefix.
    /// </summary>
    private string AccountNumber(string bin, int index)
    {
        int length = bin switch
        {
            Vietcombank or Agribank => 13,
            Techcombank => 14,
            Acb or VpBank => 9,
            _ => 12,
        };
        long unique = DigitScramble.Apply(index, 7);
        int prefixLength = length - 7;
        long prefix = _rng.Between(Pow10(prefixLength - 1), Pow10(prefixLength) - 1);
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{unique:D7}");
    }

    private static long Pow10(int n)
    {
        long r = 1;
        for (int i = 0; i < n; i++)
        {
            r *= 10;
        }
        return r;
    }

    /// <summary>Children meet where their parent does, with an occasional neighbouring region.</summary>
    private WageRegion Drift(WageRegion region)
    {
        if (!_rng.Chance(500))
        {
            return region;
        }
        int r = (int)region + (_rng.Chance(5000) ? 1 : -1);
        return (WageRegion)Math.Clamp(r, 1, 4);
    }

    private string NextPlace() => _places[_nextPlace++ % _places.Count];

    /// <summary>Name tables say "tỉnh"; a centrally run city says "thành phố" / "Thành ủy".</summary>
    private string Localize(string name) => _options.IsCity
        ? name.Replace("Tỉnh ủy", "Thành ủy", StringComparison.Ordinal).Replace(" tỉnh", " thành phố", StringComparison.Ordinal)
        : name;

    /// <summary>About 1% of cells and base cells (at least two) have no bank account yet: readiness reports must say so.</summary>
    private void LeaveSomeWithoutBankAccount()
    {
        static bool Eligible(OrgNode o) =>
            o.HoldsMembers && o.Profile is LeafProfile.RuralResidential or LeafProfile.UrbanResidential or LeafProfile.School or LeafProfile.Enterprise;

        int missing = 0;
        foreach (var org in _orgs)
        {
            if (Eligible(org) && _rng.Chance(100))
            {
                org.HasBankAccount = false;
                missing++;
            }
        }
        var candidates = _orgs.Where(o => Eligible(o) && o.HasBankAccount).ToList();
        while (missing < 2 && candidates.Count > 0)
        {
            int i = _rng.Next(candidates.Count);
            candidates[i].HasBankAccount = false;
            candidates.RemoveAt(i);
            missing++;
        }
    }

    /// <summary>
    /// Every member-holding organization gets 3 members (a cell's charter minimum), the rest is shared in
    /// proportion to weight, rounding down, and the few left over go one each to the first organizations.
    /// The total is exactly <paramref name="members"/>.
    /// </summary>
    private static void ShareOutMembers(List<OrgNode> orgs, int members)
    {
        long totalWeight = 0;
        int leaves = 0;
        foreach (var org in orgs.Where(o => o.HoldsMembers))
        {
            totalWeight += org.Weight;
            leaves++;
        }
        long rest = members - (3L * leaves);
        if (rest < 0)
        {
            throw new InvalidOperationException($"{members} members are too few for {leaves} cells.");
        }
        long given = 0;
        foreach (var org in orgs.Where(o => o.HoldsMembers))
        {
            long share = rest * org.Weight / totalWeight;
            org.MemberCount = (int)(3 + share);
            given += share;
        }
        long leftOver = rest - given;
        long seq = 1;
        foreach (var org in orgs.Where(o => o.HoldsMembers))
        {
            if (leftOver > 0)
            {
                org.MemberCount++;
                leftOver--;
            }
            org.FirstMemberSeq = seq;
            seq += org.MemberCount;
        }
    }

    /// <summary>Child codes: parent code, a dot, a letter for the kind (B, C, S) and a two-digit sequence shared by all letters.</summary>
    private sealed class Counter
    {
        private int _n;

        public string Next(OrgNode parent, char letter) =>
            string.Create(CultureInfo.InvariantCulture, $"{parent.Code}.{letter}{++_n:D2}");
    }
}

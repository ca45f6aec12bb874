namespace Fees.Domain.Organizations;

/// <summary>The charter level of a party organization (contract §3, column <c>kind</c>).</summary>
public enum OrgKind
{
    /// <summary>Trung ương: the top of the tree.</summary>
    Central,
    /// <summary>Tỉnh ủy / thành ủy (and central-level committees directly under the Central Committee).</summary>
    Province,
    /// <summary>Cấp ủy cấp trên trực tiếp cơ sở, including commune-level committees with upper-level powers.</summary>
    Upper,
    /// <summary>Đảng bộ cơ sở.</summary>
    BaseCommittee,
    /// <summary>Chi bộ cơ sở.</summary>
    BaseCell,
    /// <summary>Đảng bộ bộ phận.</summary>
    SubCommittee,
    /// <summary>Chi bộ trực thuộc.</summary>
    Cell,
}

/// <summary>The three columns of report B01/ĐP.</summary>
public enum OrgSetting
{
    /// <summary>Xã, phường, đặc khu.</summary>
    Commune,
    /// <summary>Doanh nghiệp.</summary>
    Enterprise,
    /// <summary>Cơ quan, đơn vị sự nghiệp, lực lượng vũ trang…</summary>
    Other,
}

public static class OrgCodes
{
    private static readonly Dictionary<string, OrgKind> KindsByCode = new(StringComparer.Ordinal)
    {
        ["central"] = OrgKind.Central,
        ["province"] = OrgKind.Province,
        ["upper"] = OrgKind.Upper,
        ["base_committee"] = OrgKind.BaseCommittee,
        ["base_cell"] = OrgKind.BaseCell,
        ["sub_committee"] = OrgKind.SubCommittee,
        ["cell"] = OrgKind.Cell,
    };

    private static readonly Dictionary<string, OrgSetting> SettingsByCode = new(StringComparer.Ordinal)
    {
        ["commune"] = OrgSetting.Commune,
        ["enterprise"] = OrgSetting.Enterprise,
        ["other"] = OrgSetting.Other,
    };

    /// <summary>The longest organization code (characters).</summary>
    public const int MaxCodeLength = 30;

    /// <summary>Could this be an organization's code? 1–30 characters of <c>A–Z 0–9 . _ -</c> (contract §3).</summary>
    public static bool IsWellFormed(string code) =>
        code is { Length: >= 1 and <= MaxCodeLength } && code.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c) || c is '.' or '_' or '-');

    public static bool TryParseKind(string text, out OrgKind kind) => KindsByCode.TryGetValue(text, out kind);
    public static bool TryParseSetting(string text, out OrgSetting setting) => SettingsByCode.TryGetValue(text, out setting);

    public static string ToCode(this OrgKind kind) => KindsByCode.First(p => p.Value == kind).Key;
    public static string ToCode(this OrgSetting setting) => SettingsByCode.First(p => p.Value == setting).Key;

    /// <summary>Vietnamese name of a level, for pages and reports.</summary>
    public static string ToVietnamese(this OrgKind kind) => kind switch
    {
        OrgKind.Central => "Trung ương",
        OrgKind.Province => "Tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương",
        OrgKind.Upper => "Cấp ủy cấp trên trực tiếp cơ sở",
        OrgKind.BaseCommittee => "Đảng bộ cơ sở",
        OrgKind.BaseCell => "Chi bộ cơ sở",
        OrgKind.SubCommittee => "Đảng bộ bộ phận",
        OrgKind.Cell => "Chi bộ trực thuộc",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Which kinds may sit directly under a parent of the given kind (the Party charter's levels).</summary>
    public static bool MayContain(this OrgKind parent, OrgKind child) => (parent, child) switch
    {
        (OrgKind.Central, OrgKind.Province) => true,
        // Some base organizations (armed forces, central agencies) sit directly under a province-level committee.
        (OrgKind.Province, OrgKind.Upper or OrgKind.BaseCommittee or OrgKind.BaseCell) => true,
        (OrgKind.Upper, OrgKind.Upper or OrgKind.BaseCommittee or OrgKind.BaseCell) => true,
        (OrgKind.BaseCommittee, OrgKind.SubCommittee or OrgKind.Cell) => true,
        (OrgKind.SubCommittee, OrgKind.Cell) => true,
        _ => false,
    };
}

namespace Fees.Domain.Members;

/// <summary>Which fee rule group a member falls under (contract §3, column <c>category</c>).</summary>
public enum MemberCategory
{
    /// <summary>In compulsory social insurance (BHXH bắt buộc): 1% of last month's SI salary.</summary>
    Si,
    /// <summary>On a sick or maternity benefit paid by social insurance: 1% of the benefit.</summary>
    SiBenefit,
    /// <summary>Receiving a pension, not in compulsory SI: 0.5% of the pension.</summary>
    Pensioner,
    /// <summary>Học sinh, sinh viên: a fixed amount.</summary>
    Student,
    /// <summary>Not in compulsory SI and no pension: a share of the regional minimum wage.</summary>
    Other,
    /// <summary>On the social pension (trợ cấp hưu trí xã hội): exempt.</summary>
    SocialPension,
}

public enum MemberStatus
{
    /// <summary>Đảng viên chính thức.</summary>
    Official,
    /// <summary>Đảng viên dự bị: pays like an official member.</summary>
    Probationary,
}

public enum Sex
{
    Male,
    Female,
}

public static class MemberCodes
{
    private static readonly Dictionary<string, MemberCategory> Categories = new(StringComparer.Ordinal)
    {
        ["si"] = MemberCategory.Si,
        ["si_benefit"] = MemberCategory.SiBenefit,
        ["pensioner"] = MemberCategory.Pensioner,
        ["student"] = MemberCategory.Student,
        ["other"] = MemberCategory.Other,
        ["social_pension"] = MemberCategory.SocialPension,
    };

    public static bool TryParseCategory(string text, out MemberCategory category) => Categories.TryGetValue(text, out category);
    public static string ToCode(this MemberCategory category) => Categories.First(p => p.Value == category).Key;

    public static bool TryParseStatus(string text, out MemberStatus status)
    {
        (bool ok, status) = text switch
        {
            "official" => (true, MemberStatus.Official),
            "probationary" => (true, MemberStatus.Probationary),
            _ => (false, default),
        };
        return ok;
    }

    public static string ToCode(this MemberStatus status) => status == MemberStatus.Official ? "official" : "probationary";

    public static bool TryParseSex(string text, out Sex sex)
    {
        (bool ok, sex) = text switch
        {
            "M" => (true, Sex.Male),
            "F" => (true, Sex.Female),
            _ => (false, default),
        };
        return ok;
    }

    public static string ToCode(this Sex sex) => sex == Sex.Male ? "M" : "F";

    public static string ToVietnamese(this MemberCategory category) => category switch
    {
        MemberCategory.Si => "Tham gia BHXH bắt buộc",
        MemberCategory.SiBenefit => "Hưởng trợ cấp ốm đau, thai sản do BHXH chi trả",
        MemberCategory.Pensioner => "Hưởng lương hưu",
        MemberCategory.Student => "Học sinh, sinh viên",
        MemberCategory.Other => "Không tham gia BHXH bắt buộc, không hưởng lương hưu",
        MemberCategory.SocialPension => "Hưởng trợ cấp hưu trí xã hội",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };
}

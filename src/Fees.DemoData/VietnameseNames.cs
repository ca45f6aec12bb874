namespace Fees.DemoData;

/// <summary>
/// Name tables with rough real frequencies. Family names follow the commonly quoted shares (Nguyễn ≈ 38%,
/// Trần ≈ 11%, Lê ≈ 9.5%, Phạm ≈ 7%…); Huỳnh/Võ are the southern forms of Hoàng/Vũ.
/// </summary>
internal static class VietnameseNames
{
    private static readonly string[] FamilyNames =
    [
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
        "Dương", "Lý", "Đinh", "Trịnh", "Đoàn", "Lương", "Mai", "Cao", "Lâm", "Hà", "Chu", "Tạ", "Nông", "Kiều",
    ];

    // Per ten thousand, same order as FamilyNames.
    private static readonly int[] FamilyWeights =
    [
        3800, 1100, 950, 700, 310, 200, 450, 240, 150, 210, 200, 140, 130, 130,
        100, 50, 90, 80, 70, 60, 60, 50, 50, 50, 30, 30, 30, 20,
    ];

    private static readonly string[] MaleMiddle =
    [
        "Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thanh", "Xuân", "Đình", "Trọng", "Ngọc", "Anh", "Tuấn",
        "Mạnh", "Quốc", "Thế", "Duy", "Tiến", "Hoàng", "Việt",
    ];

    private static readonly string[] FemaleMiddle =
    [
        "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Thùy", "Hồng", "Phương", "Mai", "Kim", "Bích", "Diệu", "Khánh",
        "Hoài", "Thúy", "Lan", "Hải", "Quỳnh",
    ];

    private static readonly string[] MaleGiven =
    [
        "Hùng", "Dũng", "Tuấn", "Nam", "Minh", "Hải", "Long", "Thắng", "Sơn", "Cường", "Quân", "Trung", "Hiếu",
        "Đức", "Phong", "Thành", "Tùng", "Hưng", "Bình", "Hòa", "Khoa", "Huy", "Việt", "Toàn", "Lâm", "Kiên",
        "Tài", "Vinh", "Phúc", "Đạt", "Quang", "Thịnh", "Lợi", "Tiến", "Nghĩa", "Khánh", "An", "Bảo", "Tâm",
        "Chiến", "Hoàng", "Thái", "Hậu", "Lực", "Tú", "Duy", "Hiển", "Thuận", "Trường", "Định",
    ];

    private static readonly string[] FemaleGiven =
    [
        "Lan", "Hương", "Hoa", "Hằng", "Thảo", "Trang", "Linh", "Mai", "Ngọc", "Hà", "Thủy", "Nga", "Yến", "Loan",
        "Oanh", "Phương", "Nhung", "Hạnh", "Huyền", "Vân", "Dung", "Liên", "Tâm", "Thư", "Anh", "Giang", "Hiền",
        "Hồng", "Quỳnh", "Trinh", "Vy", "Nhi", "Châu", "My", "Tuyết", "Xuân", "Thu", "Duyên", "Diệp", "Bích",
        "Huệ", "Lý", "Thoa", "Thắm", "Hòa", "Chi",
    ];

    /// <summary>A full name; older members more often carry the traditional Văn/Thị middle names.</summary>
    public static string FullName(ref DemoRandom rng, bool male, int birthYear)
    {
        string family = FamilyNames[rng.PickWeighted(FamilyWeights)];
        bool traditional = rng.Chance(birthYear < 1975 ? 6000 : 2500);
        string[] middles = male ? MaleMiddle : FemaleMiddle;
        string middle = traditional ? middles[0] : middles[1 + rng.Next(middles.Length - 1)];
        string[] givens = male ? MaleGiven : FemaleGiven;
        string given = rng.Pick(givens);
        // "Minh Minh" or "Hoàng … Hoàng" would look generated: take the next given name instead.
        for (int i = 1; string.Equals(given, middle, StringComparison.Ordinal) || string.Equals(given, family, StringComparison.Ordinal); i++)
        {
            given = givens[i];
        }
        // About one in eight modern names carries a second middle name ("Nguyễn Thị Thu Hương").
        if (!traditional && birthYear >= 1975 && rng.Chance(1200))
        {
            string first = male ? "Văn" : "Thị";
            return string.Join(' ', family, first, middle, given);
        }
        return string.Join(' ', family, middle, given);
    }
}

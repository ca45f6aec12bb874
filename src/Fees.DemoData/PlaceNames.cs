namespace Fees.DemoData;

/// <summary>Sino-Vietnamese place-name syllables; pairs give the many hundred commune names a province needs.</summary>
internal static class PlaceNames
{
    private static readonly string[] First =
    [
        "Tân", "An", "Hòa", "Phú", "Bình", "Thạnh", "Đông", "Tây", "Nam", "Bắc", "Vĩnh", "Long", "Thuận", "Hưng",
        "Phước", "Mỹ", "Thanh", "Quang", "Đại", "Minh", "Xuân", "Hồng", "Kim", "Ngọc", "Trung", "Yên", "Đức",
        "Thượng", "Cẩm", "Hiệp", "Lạc", "Phúc", "Quảng", "Sơn", "Thái", "Văn",
    ];

    private static readonly string[] Second =
    [
        "Lập", "Bình", "Phú", "Hòa", "Thành", "Lợi", "Hưng", "Phong", "Sơn", "Lâm", "Hải", "Thịnh", "An", "Tiến",
        "Khánh", "Lộc", "Xuân", "Mỹ", "Trung", "Thuận", "Long", "Hiệp", "Định", "Quang", "Hà", "Giang", "Tân",
        "Nghĩa", "Đức", "Phước",
    ];

    /// <summary>All distinct two-syllable names, shuffled by <paramref name="rng"/>.</summary>
    public static List<string> ShuffledPairs(ref DemoRandom rng)
    {
        var names = new List<string>(First.Length * Second.Length);
        foreach (string a in First)
        {
            foreach (string b in Second)
            {
                if (!string.Equals(a, b, StringComparison.Ordinal))
                {
                    names.Add(a + " " + b);
                }
            }
        }
        for (int i = names.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (names[i], names[j]) = (names[j], names[i]);
        }
        return names;
    }

    public static readonly string[] Industries =
    [
        "May", "Xây dựng", "Cơ khí", "Thương mại", "Vận tải", "Dược phẩm", "Thực phẩm", "Điện lực", "Cấp nước",
        "Môi trường đô thị", "Xi măng", "Chế biến gỗ", "Thủy sản", "Nông sản", "Du lịch", "Công nghệ thông tin",
        "Đầu tư phát triển", "Phân bón", "Bao bì", "Giấy",
    ];

    public static readonly string[] CompanyForms = ["Công ty cổ phần", "Công ty TNHH một thành viên", "Công ty TNHH"];

    /// <summary>Sở, ban, ngành under the provincial People's Committee (after the 2025 merger of departments).</summary>
    public static readonly string[] Departments =
    [
        "Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Xây dựng",
        "Sở Nông nghiệp và Môi trường", "Sở Công Thương", "Sở Khoa học và Công nghệ", "Sở Văn hóa, Thể thao và Du lịch",
        "Thanh tra tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "Bệnh viện Đa khoa tỉnh", "Trường Cao đẳng Sư phạm",
        "Đài Phát thanh và Truyền hình", "Kho bạc Nhà nước khu vực", "Thuế tỉnh", "Bảo hiểm xã hội tỉnh",
        "Bệnh viện Sản Nhi", "Trường Chính trị tỉnh",
    ];

    /// <summary>Public service units of a large province, each followed by a place name.</summary>
    public static readonly string[] PublicServiceUnits =
    [
        "Trường Trung học phổ thông", "Trung tâm Y tế khu vực", "Bệnh viện Đa khoa khu vực",
        "Ban Quản lý dự án đầu tư xây dựng khu vực", "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên",
        "Chi cục Thuế khu vực", "Trường Trung học phổ thông dân tộc nội trú",
    ];

    /// <summary>Party and mass-organization agencies of the province (Đảng ủy các cơ quan Đảng tỉnh).</summary>
    public static readonly string[] PartyAgencies =
    [
        "Văn phòng Tỉnh ủy", "Ban Tổ chức Tỉnh ủy", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "Báo tỉnh", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
    ];

    public static readonly string[] MilitaryUnits =
    [
        "Phòng Tham mưu", "Phòng Chính trị", "Phòng Hậu cần - Kỹ thuật", "Ban Chỉ huy Phòng thủ khu vực",
        "Trung đoàn bộ binh", "Đại đội trinh sát", "Tiểu đoàn huấn luyện",
    ];

    public static readonly string[] PoliceUnits =
    [
        "Phòng Cảnh sát giao thông", "Phòng Cảnh sát hình sự", "Phòng An ninh chính trị nội bộ",
        "Phòng Cảnh sát quản lý hành chính về trật tự xã hội", "Phòng Tham mưu", "Phòng Hậu cần",
        "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ", "Trại tạm giam",
    ];

    public static readonly string[] CommuneOffices =
    [
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", "Phòng Kinh tế", "Phòng Văn hóa - Xã hội",
        "Trung tâm Phục vụ hành chính công", "Ủy ban Mặt trận Tổ quốc", "Ban Chỉ huy Quân sự",
    ];

    public static readonly string[] WardOffices =
    [
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân", "Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Văn hóa - Xã hội",
        "Trung tâm Phục vụ hành chính công", "Ủy ban Mặt trận Tổ quốc", "Ban Chỉ huy Quân sự",
    ];

    public static readonly string[] Schools =
    [
        "Trường Mầm non", "Trường Tiểu học", "Trường Trung học cơ sở", "Trường Trung học phổ thông", "Trạm Y tế",
    ];

    public static readonly string[] Workshops = ["Phân xưởng", "Phòng Kỹ thuật", "Phòng Kinh doanh", "Xí nghiệp", "Đội sản xuất"];
}

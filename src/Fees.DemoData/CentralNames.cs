namespace Fees.DemoData;

/// <summary>
/// Names for the central-level committees (after the 2025 reorganisation of ministries and central agencies). Demo data:
/// the lists are representative, not an official roster.
/// </summary>
internal static class CentralNames
{
    public static readonly string[] PartyAgencies =
    [
        "Văn phòng Trung ương Đảng", "Ban Tổ chức Trung ương", "Ban Tuyên giáo và Dân vận Trung ương", "Ban Nội chính Trung ương",
        "Ban Chính sách, chiến lược Trung ương", "Ban Đối ngoại Trung ương", "Ủy ban Kiểm tra Trung ương", "Báo Nhân Dân",
        "Tạp chí Cộng sản", "Học viện Chính trị quốc gia Hồ Chí Minh", "Nhà xuất bản Chính trị quốc gia Sự thật",
    ];

    public static readonly string[] PartyUnits =
    [
        "Học viện Chính trị khu vực", "Cơ quan đại diện Báo Nhân Dân tại", "Trung tâm Bồi dưỡng cán bộ", "Nhà khách Trung ương Đảng tại",
    ];

    public static readonly string[] AssemblyAgencies =
    [
        "Văn phòng Quốc hội", "Kiểm toán Nhà nước", "Tòa án nhân dân tối cao", "Viện kiểm sát nhân dân tối cao",
        "Văn phòng Chủ tịch nước", "Hội đồng bầu cử quốc gia", "Báo Đại biểu Nhân dân", "Truyền hình Quốc hội",
    ];

    public static readonly string[] JusticeUnits =
    [
        "Kiểm toán Nhà nước khu vực", "Tòa án nhân dân cấp cao tại", "Viện kiểm sát nhân dân cấp cao tại", "Trường Bồi dưỡng cán bộ",
    ];

    public static readonly string[] FrontAgencies =
    [
        "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh",
        "Trung ương Hội Liên hiệp Phụ nữ Việt Nam", "Trung ương Hội Nông dân Việt Nam", "Tổng Liên đoàn Lao động Việt Nam",
        "Trung ương Hội Cựu chiến binh Việt Nam", "Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam", "Hội Nhà báo Việt Nam",
    ];

    public static readonly string[] FrontUnits =
    [
        "Trường Cán bộ công đoàn", "Báo Lao Động tại", "Học viện Thanh thiếu niên phân viện", "Trung tâm hỗ trợ nông dân",
    ];

    /// <summary>Ministries and ministry-level agencies after the 2025 merger (defence and public security have their own committees).</summary>
    public static readonly string[] Ministries =
    [
        "Bộ Ngoại giao", "Bộ Nội vụ", "Bộ Tư pháp", "Bộ Tài chính", "Bộ Công Thương", "Bộ Nông nghiệp và Môi trường",
        "Bộ Xây dựng", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Khoa học và Công nghệ", "Bộ Giáo dục và Đào tạo", "Bộ Y tế",
        "Bộ Dân tộc và Tôn giáo", "Ngân hàng Nhà nước Việt Nam", "Thanh tra Chính phủ", "Văn phòng Chính phủ",
        "Đài Truyền hình Việt Nam", "Đài Tiếng nói Việt Nam", "Thông tấn xã Việt Nam", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
        "Viện Hàn lâm Khoa học xã hội Việt Nam", "Bảo hiểm xã hội Việt Nam", "Đại học Quốc gia Hà Nội", "Đại học Quốc gia Thành phố Hồ Chí Minh",
    ];

    public static readonly string[] MinistryDepartments =
    [
        "Văn phòng Bộ", "Vụ Tổ chức cán bộ", "Vụ Kế hoạch - Tài chính", "Vụ Pháp chế", "Thanh tra Bộ", "Cục Quản lý",
        "Viện Chiến lược", "Trường Cán bộ quản lý",
    ];

    public static readonly string[] MinistryUnits =
    [
        "Cục", "Viện", "Trường Đại học", "Bệnh viện", "Trung tâm", "Chi cục khu vực", "Kho bạc Nhà nước khu vực",
        "Cục Hải quan khu vực", "Thuế khu vực",
    ];

    public static readonly string[] StateGroups =
    [
        "Tập đoàn Điện lực Việt Nam", "Tập đoàn Công nghiệp - Năng lượng Quốc gia Việt Nam", "Tập đoàn Công nghiệp Than - Khoáng sản Việt Nam",
        "Tập đoàn Bưu chính Viễn thông Việt Nam", "Tập đoàn Hóa chất Việt Nam", "Tập đoàn Công nghiệp Cao su Việt Nam",
        "Tổng công ty Đường sắt Việt Nam", "Tổng công ty Hàng không Việt Nam", "Ngân hàng TMCP Ngoại thương Việt Nam",
        "Ngân hàng TMCP Công Thương Việt Nam", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam",
    ];

    public static readonly string[] ArmyCommands =
    [
        "Quân khu 1", "Quân khu 2", "Quân khu 3", "Quân khu 4", "Quân khu 5", "Quân khu 7", "Quân khu 9",
        "Bộ Tư lệnh Thủ đô Hà Nội", "Quân chủng Phòng không - Không quân", "Quân chủng Hải quân", "Bộ đội Biên phòng",
        "Cảnh sát biển Việt Nam", "Quân đoàn 12", "Quân đoàn 34", "Tổng cục Chính trị", "Bộ Tổng Tham mưu",
        "Tổng cục Hậu cần - Kỹ thuật", "Tổng cục Công nghiệp quốc phòng", "Tập đoàn Công nghiệp - Viễn thông Quân đội",
    ];

    public static readonly string[] ArmyUnits = ["Trung đoàn", "Lữ đoàn", "Sư đoàn", "Tiểu đoàn", "Học viện", "Bệnh viện Quân y", "Nhà máy Z"];

    public static readonly string[] PoliceCommands =
    [
        "Bộ Tư lệnh Cảnh sát cơ động", "Bộ Tư lệnh Cảnh vệ", "Cục Cảnh sát giao thông", "Cục Cảnh sát hình sự",
        "Cục An ninh nội địa", "Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao", "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
        "Cục Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ", "Cục Quản lý xuất nhập cảnh", "Cục Cảnh sát quản lý trại giam",
        "Học viện An ninh nhân dân", "Học viện Cảnh sát nhân dân", "Bệnh viện 19-8",
    ];

    public static readonly string[] PoliceUnits = ["Trung đoàn", "Tiểu đoàn", "Phòng", "Trại giam", "Đoàn", "Trung tâm"];
}

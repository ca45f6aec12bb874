using Fees.Reports.Tables;

namespace Fees.Reports.B01;

/// <summary>One figure of B01/ĐP split by the three settings of the organizations it comes from.</summary>
public sealed record B01Figure(long Commune, long Enterprise, long Other)
{
    public static B01Figure Zero { get; } = new(0, 0, 0);
    public long Total => Commune + Enterprise + Other;
    public static B01Figure operator +(B01Figure a, B01Figure b) =>
        new(a.Commune + b.Commune, a.Enterprise + b.Enterprise, a.Other + b.Other);
}

/// <summary>
/// B01/ĐP "Báo cáo thu nộp đảng phí" (141-CV/VPTW/nb), filed by a base organization and every level above: rows 01–13,
/// columns xã-phường (1), doanh nghiệp (2), khác (3), cộng (4 = 1 + 2 + 3). Rows 04 and 08 are sums of their parts
/// (05 + 06 + 07, 09 + 10 + 11) here, never stored.
/// </summary>
public sealed record B01Report(ReportHeader Header, B01Figure Members, B01Figure Collected, B01Figure CollectedYear,
    B01Figure RetainedByCells, B01Figure RetainedByBase, B01Figure RetainedAboveBase,
    B01Figure RetainedByCellsYear, B01Figure RetainedByBaseYear, B01Figure RetainedAboveBaseYear,
    B01Figure Remitted, B01Figure RemittedYear)
{
    public ReportDocument ToDocument()
    {
        var rows = new List<IReadOnlyList<ReportCell>>();
        void Row(string no, string label, string unit, B01Figure f, string note = "") =>
            rows.Add(ReportHeader.Row(no, label, unit, no, f.Commune, f.Enterprise, f.Other, f.Total, note));
        Row("01", "Số đảng viên đến cuối kỳ báo cáo", "Người", Members);
        Row("02", "Số đảng phí đã thu trong kỳ", "Đồng", Collected);
        Row("03", "Số đảng phí đã thu từ đầu năm", "Đồng", CollectedYear, "Từ kỳ 8/2026");
        Row("04", "Số đảng phí trích giữ lại trong kỳ (04 = 05 + 06 + 07)", "Đồng", RetainedByCells + RetainedByBase + RetainedAboveBase);
        Row("05", "— Chi bộ trích giữ lại", "Đồng", RetainedByCells);
        Row("06", "— Tổ chức cơ sở đảng trích giữ lại", "Đồng", RetainedByBase);
        Row("07", "— Cấp trên cơ sở trích giữ lại", "Đồng", RetainedAboveBase);
        Row("08", "Số đảng phí trích giữ lại từ đầu năm (08 = 09 + 10 + 11)", "Đồng", RetainedByCellsYear + RetainedByBaseYear + RetainedAboveBaseYear);
        Row("09", "— Chi bộ trích giữ lại", "Đồng", RetainedByCellsYear);
        Row("10", "— Tổ chức cơ sở đảng trích giữ lại", "Đồng", RetainedByBaseYear);
        Row("11", "— Cấp trên cơ sở trích giữ lại", "Đồng", RetainedAboveBaseYear);
        Row("12", "Số đảng phí nộp cấp trên trong kỳ", "Đồng", Remitted);
        Row("13", "Số đảng phí nộp cấp trên từ đầu năm", "Đồng", RemittedYear);
        var table = new ReportSection(null,
        [
            new("TT", ColumnKind.Text), new("Chỉ tiêu", ColumnKind.Text), new("ĐVT", ColumnKind.Text), new("Mã số", ColumnKind.Text),
            new("Xã, phường (1)", ColumnKind.Count), new("Doanh nghiệp (2)", ColumnKind.Count), new("Khác (3)", ColumnKind.Count),
            new("Cộng (4 = 1 + 2 + 3)", ColumnKind.Count), new("Ghi chú", ColumnKind.Text),
        ], rows) { TotalRows = new HashSet<int> { 3, 7 } };
        return Header.Document("b01", "Mẫu B01/ĐP", "Báo cáo thu nộp đảng phí", [table],
        [
            "Cột (1), (2), (3): theo loại hình của tổ chức đảng nơi phát sinh số liệu (xã, phường, đặc khu / doanh nghiệp / cơ quan, đơn vị khác).",
            "Dòng 01: đảng viên sinh hoạt chính thức tại tổ chức vào cuối kỳ (hoặc hôm nay nếu kỳ chưa kết thúc).",
            "Dòng 02, 03: số đảng viên đã nộp cho các kỳ trong khoảng báo cáo (kể cả nộp muộn). Dòng 04–13: theo các lần khóa sổ đã thực hiện; kỳ chưa khóa sổ tính 0.",
            "Đảng bộ bộ phận chuyển tiếp phần của chi bộ trực thuộc, được tính vào dòng 06 và 10.",
        ]);
    }
}

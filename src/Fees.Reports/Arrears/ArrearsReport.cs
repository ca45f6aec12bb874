using Fees.Reports.Tables;

namespace Fees.Reports.Arrears;

/// <summary>A member with three or more unpaid months in the calendar year of the range's end.</summary>
public sealed record ArrearsLine(string MemberNo, string FullName, string OrgCode, string OrgName, IReadOnlyList<string> UnpaidPeriods, long Outstanding);

/// <summary>
/// Đảng viên không đóng đảng phí ba tháng trong năm: for the cell to consider (01-QĐ/TW: without a good reason the cell
/// proposes removal from the roll). Counts only months on the system (from August 2026) up to the range's end.
/// </summary>
public sealed record ArrearsReport(ReportHeader Header, int Year, IReadOnlyList<ArrearsLine> Lines)
{
    public ReportDocument ToDocument()
    {
        var table = new ReportSection(null,
        [
            new("STT", ColumnKind.Count), new("Số thẻ đảng viên", ColumnKind.Text), new("Họ và tên", ColumnKind.Text), new("Chi bộ", ColumnKind.Text),
            new("Số tháng chưa đóng", ColumnKind.Count), new("Các tháng chưa đóng", ColumnKind.Text), new("Số tiền còn nợ", ColumnKind.Money),
        ],
        [.. Lines.Select((l, i) => ReportHeader.Row(i + 1, l.MemberNo, l.FullName, l.OrgName, l.UnpaidPeriods.Count,
            string.Join(", ", l.UnpaidPeriods.Select(S01.S01Book.Month)), l.Outstanding))]);
        return Header.Document("arrears", "Danh sách", "Đảng viên chưa đóng đảng phí từ ba tháng trở lên trong năm", [table],
        [
            $"Tính các tháng năm {Year} đến hết khoảng báo cáo, chỉ các kỳ trên hệ thống (từ tháng 8/2026); kỳ được miễn hoặc đã đóng đủ không tính.",
            "Danh sách để chi bộ xem xét; việc không đóng có lý do chính đáng hay không do chi bộ kết luận.",
        ]);
    }
}

using Fees.Reports.Tables;

namespace Fees.Reports.S01;

/// <summary>Part I of S01/ĐP: one member's dues for one month.</summary>
public sealed record S01MemberMonth(string MemberNo, string FullName, string Period, bool Exempt, long Income, long Due, long BackCollected, long Paid);

/// <summary>Part II of S01/ĐP: one month's totals, with the organization's own close of that month (if made).</summary>
public sealed record S01MonthTotal(string Period, int Members, int Exempt, int Unpaid, long Paid, long Retained, long Remitted, long RemittedPaid);

/// <summary>
/// S01/ĐP "Sổ thu, nộp đảng phí": the cell's book. Part I per member per month, part II per month with the total of the
/// range. Columns as fee-rules.md §5 lays them out.
/// </summary>
public sealed record S01Book(ReportHeader Header, IReadOnlyList<S01MemberMonth> Members, IReadOnlyList<S01MonthTotal> Months)
{
    public ReportDocument ToDocument()
    {
        var part1 = new ReportSection("Phần I. Thu đảng phí của đảng viên",
        [
            new("STT", ColumnKind.Count), new("Họ và tên", ColumnKind.Text), new("Số thẻ đảng viên", ColumnKind.Text), new("Được miễn", ColumnKind.Text),
            new("Tháng/năm", ColumnKind.Text), new("Thu nhập tính đóng đảng phí", ColumnKind.Money), new("Phải đóng tháng này", ColumnKind.Money),
            new("Truy thu các tháng trước", ColumnKind.Money), new("Cộng phải đóng", ColumnKind.Money), new("Đã thu", ColumnKind.Money),
            new("Chưa đóng đến cuối tháng", ColumnKind.Money),
        ],
        [.. Members.Select((m, i) => ReportHeader.Row(i + 1, m.FullName, m.MemberNo, m.Exempt ? "x" : "", Month(m.Period), m.Income, m.Due, m.BackCollected,
            m.Due + m.BackCollected, m.Paid, m.Due + m.BackCollected - m.Paid))]);

        var rows = Months.Select(t => ReportHeader.Row(Month(t.Period), t.Members, t.Exempt, t.Unpaid, t.Paid, t.Retained, t.Remitted, t.RemittedPaid,
            t.Remitted - t.RemittedPaid)).ToList();
        rows.Add(ReportHeader.Row("Cộng", Months.Sum(t => t.Members), Months.Sum(t => t.Exempt), Months.Sum(t => t.Unpaid), Months.Sum(t => t.Paid),
            Months.Sum(t => t.Retained), Months.Sum(t => t.Remitted), Months.Sum(t => t.RemittedPaid), Months.Sum(t => t.Remitted - t.RemittedPaid)));
        var part2 = new ReportSection("Phần II. Tổng hợp thu, nộp đảng phí",
        [
            new("Tháng/năm", ColumnKind.Text), new("Tổng số đảng viên", ColumnKind.Count), new("Được miễn", ColumnKind.Count), new("Chưa đóng", ColumnKind.Count),
            new("Đã thu", ColumnKind.Money), new("Trích giữ lại", ColumnKind.Money), new("Phải nộp cấp trên", ColumnKind.Money), new("Đã nộp", ColumnKind.Money),
            new("Chưa nộp", ColumnKind.Money),
        ], rows) { TotalRows = new HashSet<int> { rows.Count - 1 } };

        return Header.Document("s01", "Mẫu S01/ĐP", "Sổ thu, nộp đảng phí", [part1, part2],
        [
            "Thu nhập tính đóng đảng phí: tiền lương đóng BHXH, trợ cấp BHXH hoặc lương hưu của tháng trước kỳ; 0 khi chưa có dữ liệu thu nhập.",
            "Truy thu các tháng trước: hệ thống không truy thu các kỳ trước tháng 8/2026; số nộp muộn được ghi vào đúng kỳ phải đóng.",
            "Trích giữ lại, phải nộp cấp trên, đã nộp: theo lần khóa sổ của tổ chức này; 0 khi kỳ chưa khóa sổ.",
        ]);
    }

    internal static string Month(string period) => period[5..] + "/" + period[..4];
}

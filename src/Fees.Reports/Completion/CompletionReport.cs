using Fees.Reports.Tables;

namespace Fees.Reports.Completion;

/// <summary>One organization's completion: statements due in the range (exempt ones left out) and how many are paid in full.</summary>
public sealed record CompletionLine(string OrgCode, string OrgName, int Members, int Due, int Paid)
{
    /// <summary>Paid / due in basis points, rounded down; 0 when nothing is due.</summary>
    public long BasisPoints => Due == 0 ? 0 : Paid * 10_000L / Due;
}

/// <summary>
/// Tiến độ đóng đảng phí: per lower unit of the organization (and the organization as a whole), the share of dues
/// statements paid in full, with a bar chart.
/// </summary>
public sealed record CompletionReport(ReportHeader Header, IReadOnlyList<CompletionLine> Lines, CompletionLine Whole)
{
    public ReportDocument ToDocument()
    {
        var rows = Lines.Select(l => ReportHeader.Row(l.OrgCode, l.OrgName, l.Members, l.Due, l.Paid, l.BasisPoints)).ToList();
        rows.Add(ReportHeader.Row("Cộng", Whole.OrgName, Whole.Members, Whole.Due, Whole.Paid, Whole.BasisPoints));
        var table = new ReportSection(null,
        [
            new("Mã đơn vị", ColumnKind.Text), new("Tên đơn vị", ColumnKind.Text), new("Số đảng viên", ColumnKind.Count),
            new("Số kỳ phải đóng", ColumnKind.Count), new("Số kỳ đã đóng đủ", ColumnKind.Count), new("Tỷ lệ hoàn thành", ColumnKind.Percent),
        ], rows) { TotalRows = new HashSet<int> { rows.Count - 1 } };
        return Header.Document("completion", "Biểu đồ", "Tiến độ đóng đảng phí", [table],
        [
            "Số kỳ phải đóng: phiếu đảng phí các tháng trong khoảng báo cáo, trừ kỳ được miễn; đã đóng đủ: phiếu ở trạng thái đã nộp.",
        ]) with
        { Chart = new ChartData("Tỷ lệ đảng viên đã đóng đảng phí (%)", [.. Lines.Select(l => (l.OrgCode, l.BasisPoints))]) };
    }
}

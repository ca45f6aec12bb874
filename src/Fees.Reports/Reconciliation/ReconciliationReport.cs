using Fees.Reports.Tables;

namespace Fees.Reports.Reconciliation;

/// <summary>
/// One organization's money over the range: what its statements asked and got, and what reached its bank account or
/// cash box and how much of that is matched to statements.
/// </summary>
public sealed record ReconciliationLine(string OrgCode, string OrgName, long Due, long Paid, long Received, long Allocated, long Unallocated);

/// <summary>Đối chiếu thu đảng phí: one line per organization of the subtree that has statements or receipts in the range.</summary>
public sealed record ReconciliationReport(ReportHeader Header, IReadOnlyList<ReconciliationLine> Lines)
{
    public ReportDocument ToDocument()
    {
        var rows = Lines.Select(l => ReportHeader.Row(l.OrgCode, l.OrgName, l.Due, l.Paid, l.Due - l.Paid, l.Received, l.Allocated, l.Unallocated)).ToList();
        rows.Add(ReportHeader.Row("Cộng", "", Lines.Sum(l => l.Due), Lines.Sum(l => l.Paid), Lines.Sum(l => l.Due - l.Paid), Lines.Sum(l => l.Received),
            Lines.Sum(l => l.Allocated), Lines.Sum(l => l.Unallocated)));
        var table = new ReportSection(null,
        [
            new("Mã đơn vị", ColumnKind.Text), new("Tên đơn vị", ColumnKind.Text), new("Phải thu", ColumnKind.Money), new("Đã thu", ColumnKind.Money),
            new("Còn phải thu", ColumnKind.Money), new("Tiền nhận (ngân hàng, tiền mặt)", ColumnKind.Money), new("Đã khớp với kỳ đóng", ColumnKind.Money),
            new("Chưa khớp", ColumnKind.Money),
        ], rows) { TotalRows = new HashSet<int> { rows.Count - 1 } };
        return Header.Document("reconciliation", "Đối chiếu", "Đối chiếu thu đảng phí", [table],
        [
            "Phải thu, đã thu: các kỳ đóng trong khoảng báo cáo. Tiền nhận: các khoản vào tài khoản hoặc thu tiền mặt có ngày hạch toán trong khoảng báo cáo.",
            "Chưa khớp: phần tiền nhận chưa phân bổ, chưa ghi có, chưa hoàn trả và chưa nộp ngân hàng.",
        ]);
    }
}

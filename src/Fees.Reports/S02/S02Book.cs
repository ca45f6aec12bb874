using Fees.Reports.Tables;

namespace Fees.Reports.S02;

/// <summary>One lower unit's line in S02/ĐP over the range.</summary>
public sealed record S02Unit(string OrgCode, string OrgName, int Members, long Collected, long Retained, long Remitted, long RemittedPaid);

/// <summary>This organization's own closes over the range: what it received from lower units, kept and passed up.</summary>
public sealed record S02Own(long OwnCollected, long ReceivedFromChildren, long Retained, long Remitted, string RetainedCode);

/// <summary>
/// S02/ĐP "Sổ tổng hợp thu, nộp đảng phí": for a sub-committee and above, one line per lower unit (columns A–C: the unit,
/// its code, a signature for money received), then the unit's own share booked under code 06 (base organization) or 07
/// (a level above the base).
/// </summary>
public sealed record S02Book(ReportHeader Header, IReadOnlyList<S02Unit> Units, S02Own Own)
{
    public ReportDocument ToDocument()
    {
        var rows = Units.Select(u => ReportHeader.Row(u.OrgName, u.OrgCode, "", u.Members, u.Collected, u.Retained, u.Remitted, u.RemittedPaid,
            u.Remitted - u.RemittedPaid)).ToList();
        rows.Add(ReportHeader.Row("Cộng", "", "", Units.Sum(u => u.Members), Units.Sum(u => u.Collected), Units.Sum(u => u.Retained), Units.Sum(u => u.Remitted),
            Units.Sum(u => u.RemittedPaid), Units.Sum(u => u.Remitted - u.RemittedPaid)));
        var units = new ReportSection("Phần I. Cấp dưới thu, nộp đảng phí",
        [
            new("Tên đơn vị cấp dưới", ColumnKind.Text), new("Mã đơn vị", ColumnKind.Text), new("Ký nhận tiền", ColumnKind.Text),
            new("Số đảng viên", ColumnKind.Count), new("Đảng phí đã thu", ColumnKind.Money), new("Cấp dưới trích giữ lại", ColumnKind.Money),
            new("Phải nộp lên", ColumnKind.Money), new("Đã nộp", ColumnKind.Money), new("Chưa nộp", ColumnKind.Money),
        ], rows) { TotalRows = new HashSet<int> { rows.Count - 1 } };
        var own = new ReportSection("Phần II. Đảng phí của cấp này",
        [
            new("Mã số", ColumnKind.Text), new("Tự thu", ColumnKind.Money), new("Cấp dưới nộp lên", ColumnKind.Money), new("Trích giữ lại", ColumnKind.Money),
            new("Nộp cấp trên", ColumnKind.Money),
        ],
        [ReportHeader.Row(Own.RetainedCode, Own.OwnCollected, Own.ReceivedFromChildren, Own.Retained, Own.Remitted)]);
        return Header.Document("s02", "Mẫu S02/ĐP", "Sổ tổng hợp thu, nộp đảng phí", [units, own],
        [
            "Cấp dưới trích giữ lại, phải nộp lên: tổng các lần khóa sổ trong toàn bộ tổ chức cấp dưới; đã nộp: lệnh nộp đã chuyển hoặc đã xác nhận.",
            "Mã số 06: tổ chức cơ sở đảng trích giữ lại; 07: cấp trên cơ sở trích giữ lại.",
        ]);
    }
}

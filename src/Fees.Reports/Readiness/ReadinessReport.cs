using Fees.Reports.Tables;

namespace Fees.Reports.Readiness;

public sealed record ReadinessOrg(string OrgCode, string OrgName, string Kind);

public sealed record ReadinessMember(string MemberNo, string FullName, string OrgCode, string Category);

public sealed record ReadinessOpenClose(string OrgCode, string OrgName, string Period);

/// <summary>
/// Sẵn sàng thu đảng phí trên hệ thống: organizations without a bank account (the readiness letter asks for one at 100 %
/// of organizations), members whose fee depends on income data the system does not have for the range's last month, and
/// organizations that have not closed a month of the range that has ended.
/// </summary>
public sealed record ReadinessReport(ReportHeader Header, int Organizations, IReadOnlyList<ReadinessOrg> WithoutBankAccount,
    IReadOnlyList<ReadinessMember> WithoutIncome, IReadOnlyList<ReadinessOpenClose> NotClosed)
{
    public ReportDocument ToDocument()
    {
        long withAccount = Organizations == 0 ? 0 : (Organizations - WithoutBankAccount.Count) * 10_000L / Organizations;
        var summary = new ReportSection("Tổng hợp",
        [new("Chỉ tiêu", ColumnKind.Text), new("Số lượng", ColumnKind.Count)],
        [
            ReportHeader.Row("Tổng số tổ chức đảng", Organizations),
            ReportHeader.Row("Tổ chức chưa có tài khoản ngân hàng", WithoutBankAccount.Count),
            ReportHeader.Row("Đảng viên thiếu dữ liệu thu nhập", WithoutIncome.Count),
            ReportHeader.Row("Kỳ chưa khóa sổ", NotClosed.Count),
        ]);
        var share = new ReportSection(null, [new("Tỷ lệ tổ chức có tài khoản ngân hàng", ColumnKind.Percent)], [ReportHeader.Row(withAccount)]);
        var banks = new ReportSection("I. Tổ chức đảng chưa có tài khoản ngân hàng",
            [new("Mã đơn vị", ColumnKind.Text), new("Tên đơn vị", ColumnKind.Text), new("Loại", ColumnKind.Text)],
            [.. WithoutBankAccount.Select(o => ReportHeader.Row(o.OrgCode, o.OrgName, o.Kind))]);
        var income = new ReportSection("II. Đảng viên thiếu dữ liệu thu nhập",
            [new("Số thẻ đảng viên", ColumnKind.Text), new("Họ và tên", ColumnKind.Text), new("Mã chi bộ", ColumnKind.Text), new("Đối tượng", ColumnKind.Text)],
            [.. WithoutIncome.Select(m => ReportHeader.Row(m.MemberNo, m.FullName, m.OrgCode, m.Category))]);
        var closes = new ReportSection("III. Tổ chức đảng chưa khóa sổ",
            [new("Mã đơn vị", ColumnKind.Text), new("Tên đơn vị", ColumnKind.Text), new("Kỳ", ColumnKind.Text)],
            [.. NotClosed.Select(c => ReportHeader.Row(c.OrgCode, c.OrgName, S01.S01Book.Month(c.Period)))]);
        return Header.Document("readiness", "Báo cáo", "Mức độ sẵn sàng thu, nộp đảng phí trên hệ thống", [summary, share, banks, income, closes],
        [
            "Thiếu dữ liệu thu nhập: đảng viên đóng theo tiền lương, trợ cấp BHXH hoặc lương hưu mà chưa có số liệu của tháng trước tháng cuối khoảng báo cáo.",
            "Chưa khóa sổ: các tháng đã kết thúc trong khoảng báo cáo mà tổ chức chưa khóa sổ và không được miễn (tổ chức khóa sổ theo quý chỉ tính tháng cuối quý).",
        ]);
    }
}

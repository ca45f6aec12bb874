using Fees.Reports.Arrears;
using Fees.Reports.B01;
using Fees.Reports.Completion;
using Fees.Reports.Readiness;
using Fees.Reports.Reconciliation;
using Fees.Reports.ReportRanges;
using Fees.Reports.S01;
using Fees.Reports.S02;
using Fees.Reports.Tables;

namespace Fees.Reports.Tests.Tables;

/// <summary>One small, fixed instance of every report: what the golden files are written from.</summary>
internal static class SampleReports
{
    private static ReportHeader Header(string org, string name, string range)
    {
        Assert.True(ReportRange.TryParse(range, out var r, out _));
        return new ReportHeader(org, name, r);
    }

    public static ReportDocument S01() => new S01Book(Header("HN.X001.C01", "Chi bộ Thôn Đông", "2026-Q3"),
    [
        new("0175365500", "Trịnh Minh Hồng", "2026-08", false, 5_475_600, 54_756, 0, 54_756),
        new("0175365501", "=HYPERLINK(\"http://x\")", "2026-08", false, 0, 15_930, 0, 0),
        new("0175365502", "Lê Văn Năm", "2026-08", true, 0, 0, 0, 0),
        new("0175365500", "Trịnh Minh Hồng", "2026-09", false, 5_475_600, 54_756, 0, 27_378),
    ],
    [
        new("2026-08", 3, 1, 1, 54_756, 16_427, 38_329, 38_329),
        new("2026-09", 3, 1, 2, 27_378, 0, 0, 0),
    ]).ToDocument();

    public static ReportDocument S02() => new S02Book(Header("HN.X001", "Đảng ủy xã An Hòa", "2026-08"),
    [
        new("HN.X001.C01", "Chi bộ Thôn Đông", 12, 1_234_567, 370_370, 864_197, 864_197),
        new("HN.X001.C02", "Chi bộ Thôn Tây", 9, 300_000, 90_000, 210_000, 0),
    ],
    new S02Own(0, 864_197, 777_778, 86_419, "06")).ToDocument();

    public static ReportDocument B01() => new B01Report(Header("HN", "Đảng bộ tỉnh Hà Nội", "2026-Q3"),
        new(120, 40, 35), new(1_234_567, 400_000, 350_000), new(1_234_567, 400_000, 350_000),
        new(370_370, 120_000, 105_000), new(777_778, 196_000, 171_500), new(43_210, 42_000, 36_750),
        new(370_370, 120_000, 105_000), new(777_778, 196_000, 171_500), new(43_210, 42_000, 36_750),
        new(43_209, 42_000, 36_750), new(43_209, 42_000, 36_750)).ToDocument();

    public static ReportDocument Reconciliation() => new ReconciliationReport(Header("HN.X001", "Đảng ủy xã An Hòa", "2026-08"),
    [
        new("HN.X001.C01", "Chi bộ Thôn Đông", 100_000, 80_000, 90_000, 80_000, 10_000),
        new("HN.X001.C02", "Chi bộ Thôn Tây", 50_000, 50_000, 50_000, 50_000, 0),
    ]).ToDocument();

    public static ReportDocument Arrears() => new ArrearsReport(Header("HN.X001", "Đảng ủy xã An Hòa", "2026-10"), 2026,
    [
        new("0175365501", "Nguyễn Thị Hoa", "HN.X001.C01", "Chi bộ Thôn Đông", ["2026-08", "2026-09", "2026-10"], 47_790),
        new("0175365509", "-1+1", "HN.X001.C02", "Chi bộ Thôn Tây", ["2026-08", "2026-09", "2026-10"], 15_000),
    ]).ToDocument();

    public static ReportDocument Readiness() => new ReadinessReport(Header("HN", "Đảng bộ tỉnh Hà Nội", "2026-09"), 4,
        [new("HN.X002.C09", "Chi bộ Tổ dân phố 9", "cell")],
        [new("0175365507", "Phạm Văn Đức", "HN.X001.C01", "si")],
        [new("HN.X001.C02", "Chi bộ Thôn Tây", "2026-08")]).ToDocument();

    public static ReportDocument Completion() => new CompletionReport(Header("HN", "Đảng bộ tỉnh Hà Nội", "2026-08"),
    [
        new("HN.X001", "Đảng ủy xã An Hòa", 30, 29, 20),
        new("HN.X002", "Đảng ủy phường Đồng Xuân", 20, 20, 5),
        new("HN.DN01", "Đảng ủy Công ty Điện lực", 10, 10, 10),
    ], new("HN", "Đảng bộ tỉnh Hà Nội", 60, 59, 35)).ToDocument();

    public static IEnumerable<object[]> All() =>
    [
        ["s01"], ["s02"], ["b01"], ["reconciliation"], ["arrears"], ["readiness"], ["completion"],
    ];

    public static ReportDocument Named(string code) => code switch
    {
        "s01" => S01(),
        "s02" => S02(),
        "b01" => B01(),
        "reconciliation" => Reconciliation(),
        "arrears" => Arrears(),
        "readiness" => Readiness(),
        "completion" => Completion(),
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };
}

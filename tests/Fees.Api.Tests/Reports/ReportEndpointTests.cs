using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using Fees.Persistence.AccessTrace;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests.Reports;

/// <summary>
/// <c>GET /api/reports/{report}?org=&amp;range=&amp;format=</c> over the demo province with a month partly paid (through the
/// bank feed) and the paying cell closed: every report in every format downloads and opens, the figures come from the
/// statements and the close, scope and role are enforced, bad inputs answer 400 naming the field, and the export is traced.
/// </summary>
public sealed class ReportEndpointTests(FeesApp app) : IClassFixture<FeesApp>, IAsyncLifetime
{
    private HttpClient _admin = null!;
    private HttpClient _auditor = null!;
    private HttpClient _office = null!;
    private HttpClient _treasurer = null!;
    // What the class's one payment and close were (xunit makes an instance per test; the fixture's database is shared).
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Dictionary<FeesApp, (long Paid, JsonElement Close)> Prepared = [];
    private long _paid;
    private JsonElement _close;

    public static TheoryData<string, string> EveryReportAndFormat()
    {
        var data = new TheoryData<string, string>();
        foreach (string report in new[] { "s01", "s02", "b01", "reconciliation", "arrears", "readiness", "completion" })
        {
            foreach (string format in new[] { "csv", "xlsx", "pdf" })
            {
                data.Add(report, format);
            }
        }
        return data;
    }

    public async Task InitializeAsync()
    {
        _admin = await app.Admin();
        foreach (string period in new[] { "2026-10", "2026-11" })
        {
            var r = await _admin.PostAsync($"/api/cycles/{period}/generate", null);
            Assert.True(r.IsSuccessStatusCode, period + ": " + r.StatusCode);
        }
        _auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        _office = await app.ClientFor("vanphong", "vanphong-demo");
        _treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        await Once.WaitAsync();
        try
        {
            if (Prepared.TryGetValue(app, out var done))
            {
                (_paid, _close) = done;
                return;
            }
            var qr = await _admin.GetFromJsonAsync<JsonElement>($"/api/members/{app.Demo.CellMemberNo}/payment-qr?periods=2026-11");
            _paid = qr.GetProperty("amount").GetInt64();
            var account = new OrgAccount(0, "", qr.GetProperty("bankBin").GetString()!, qr.GetProperty("accountNumber").GetString()!);
            var (response, body) = await app.Pay(account, _paid, qr.GetProperty("reference").GetString() + " DANG PHI");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("matched", body.GetProperty("status").GetString());
            var close = await _treasurer.PostAsync($"/api/orgs/{app.Demo.CellCode}/periods/2026-11/close", null);
            Assert.Equal(HttpStatusCode.OK, close.StatusCode);
            _close = await close.Content.ReadFromJsonAsync<JsonElement>();
            Prepared[app] = (_paid, _close);
        }
        finally
        {
            Once.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(EveryReportAndFormat))]
    public async Task Report_DownloadsAndOpens_ForTheProvince_InEveryFormat(string report, string format)
    {
        var response = await _auditor.GetAsync($"/api/reports/{report}?org={app.Demo.ProvinceCode}&range=2026-Q4&format={format}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        Assert.NotEmpty(body);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal($"{report}-{app.Demo.ProvinceCode}-2026-Q4.{format}", disposition.FileName?.Trim('"'));
        Assert.False(string.IsNullOrEmpty(disposition.FileNameStar));
        switch (format)
        {
            case "csv":
                Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
                Assert.Equal(Encoding.UTF8.GetPreamble(), body[..3]);
                break;
            case "xlsx":
                using (var sheet = SpreadsheetDocument.Open(new MemoryStream(body), false))
                {
                    Assert.NotEmpty(sheet.WorkbookPart!.WorksheetParts.Single().Worksheet.InnerText);
                }
                break;
            default:
                Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
                Assert.Equal("%PDF"u8.ToArray(), body[..4]);
                Assert.Contains("ĐẢNG CỘNG SẢN VIỆT NAM", await PdfText.Of(body), StringComparison.Ordinal);
                break;
        }
    }

    [Fact]
    public async Task B01_CarriesWhatMembersPaid_AndWhatTheCellKept_FromItsClose_ToTheDong()
    {
        string csv = await Csv(_auditor, $"/api/reports/b01?org={app.Demo.ProvinceCode}&range=2026-H2&format=csv");
        long members = long.Parse(Row(csv, "01")[7], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(members, 1, FeesApp.DemoMembers);
        var row02 = Row(csv, "02");
        Assert.Equal(_paid, long.Parse(row02[7], System.Globalization.CultureInfo.InvariantCulture));
        var row05 = Row(csv, "05");
        Assert.Equal(_close.GetProperty("retained").GetInt64(), long.Parse(row05[7], System.Globalization.CultureInfo.InvariantCulture));
        var row04 = Row(csv, "04");
        Assert.Equal(row05[7], row04[7]);
        Assert.Equal("0", Row(csv, "12")[7]);
        Assert.StartsWith("Mẫu B01/ĐP", csv, StringComparison.Ordinal);

        string pdf = await PdfText.Of(await _auditor.GetByteArrayAsync($"/api/reports/b01?org={app.Demo.ProvinceCode}&range=2026-H2&format=pdf"));
        Assert.Contains("BÁO CÁO THU NỘP ĐẢNG PHÍ", pdf, StringComparison.Ordinal);
        Assert.Contains(_paid.ToString("#,0", new System.Globalization.NumberFormatInfo { NumberGroupSeparator = "." }), pdf, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S01_ShowsTheMembersMonth_AndTheCellsClose_ForItsTreasurer()
    {
        string csv = await Csv(_treasurer, $"/api/reports/s01?org={app.Demo.CellCode}&range=2026-H2&format=csv");
        Assert.Contains(app.Demo.CellMemberNo, csv, StringComparison.Ordinal);
        // The bank feed pays the oldest months first; the November close sweeps them: the range's total carries both.
        var total = csv.Split("\r\n").Single(l => l.StartsWith("Cộng,", StringComparison.Ordinal)).Split(',');
        Assert.Equal(_paid.ToString(System.Globalization.CultureInfo.InvariantCulture), total[4]);
        Assert.Equal(_close.GetProperty("retained").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), total[5]);
        Assert.Equal(_close.GetProperty("remitted").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), total[6]);
    }

    [Fact]
    public async Task Readiness_ListsTheOrganizationWithoutABankAccount()
    {
        string csv = await Csv(_auditor, $"/api/reports/readiness?org={app.Demo.ProvinceCode}&range=2026-11&format=csv");
        Assert.Contains(app.Demo.OrgWithoutBankAccountCode, csv, StringComparison.Ordinal);
        Assert.Contains("Tổ chức đảng chưa có tài khoản ngân hàng", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completion_CountsThePaidStatement()
    {
        string csv = await Csv(_office, $"/api/reports/completion?org={app.Demo.CommuneCommitteeCode}&range=2026-H2&format=csv");
        var total = csv.Split("\r\n").Single(l => l.StartsWith("Cộng,", StringComparison.Ordinal)).Split(',');
        Assert.True(int.Parse(total[4], System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public async Task Report_Answers403_OutsideTheScope_OrForATreasurerAboveTheirOrganization()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await _office.GetAsync($"/api/reports/b01?org={app.Demo.ProvinceCode}&range=2026-H2&format=pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _treasurer.GetAsync($"/api/reports/s02?org={app.Demo.CommuneCommitteeCode}&range=2026-11&format=csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _treasurer.GetAsync($"/api/reports/s01?org={app.Demo.SiblingCellCode}&range=2026-11&format=csv")).StatusCode);
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"/api/reports/s01?org={app.Demo.CellCode}&range=2026-11&format=csv")).StatusCode);
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/reports/s01?org={app.Demo.CellCode}&range=2026-11&format=csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.GetAsync("/api/reports/s01?org=NO-SUCH-ORG&range=2026-11&format=csv")).StatusCode);
    }

    [Theory]
    [InlineData("b02", "2026-11", "pdf", "report")]
    [InlineData("b01", "2026-13", "pdf", "range")]
    [InlineData("b01", "2026-Q5", "pdf", "range")]
    [InlineData("b01", "2026-Q1", "pdf", "range")]
    [InlineData("b01", "2025", "pdf", "range")]
    [InlineData("b01", "2027-H2", "pdf", "range")]
    [InlineData("b01", "", "pdf", "range")]
    [InlineData("b01", "2026-11", "docx", "format")]
    [InlineData("b01", "2026-11", "", "format")]
    public async Task Report_Answers400_NamingTheBadField(string report, string range, string format, string field)
    {
        var response = await _admin.GetAsync($"/api/reports/{report}?org={app.Demo.ProvinceCode}&range={range}&format={format}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Report_Answers400_WithoutAnOrganization()
    {
        var response = await _admin.GetAsync("/api/reports/b01?range=2026-11&format=pdf");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("org", out _));
    }

    [Fact]
    public async Task Report_IsTracedAsAnExport_OfTheOrganization()
    {
        Assert.Equal(HttpStatusCode.OK, (await _auditor.GetAsync($"/api/reports/arrears?org={app.Demo.ProvinceCode}&range=2026&format=xlsx")).StatusCode);
        await app.Services.GetRequiredService<IAccessTrace>().FlushAsync();
        var rows = await _admin.GetFromJsonAsync<JsonElement>($"/api/audit/access?user=kiemtra&action={AccessActions.ReportExport}");
        Assert.Contains(rows.EnumerateArray(), r => r.GetProperty("target").GetString() == app.Demo.ProvinceCode && r.GetProperty("status").GetInt32() == 200);
    }

    private static async Task<string> Csv(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        return Encoding.UTF8.GetString(body[3..]);
    }

    private static string[] Row(string csv, string code) =>
        csv.Split("\r\n").Select(l => l.Split(',')).Single(cells => cells.Length > 7 && cells[0] == code);
}

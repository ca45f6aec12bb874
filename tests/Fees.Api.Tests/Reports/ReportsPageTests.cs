using System.Net;
using Fees.Api.Tests.Accounts;
using Fees.Testing;

namespace Fees.Api.Tests.Reports;

/// <summary>The office's report page /bao-cao, over HTTP with a session cookie: scope, role, the files it hands out.</summary>
public sealed class ReportsPageTests(FeesApp app) : IClassFixture<FeesApp>
{
    private async Task<HttpClient> SignedIn(string username, string password)
    {
        var client = app.CreateClient();
        string form = await client.GetStringAsync("/dang-nhap");
        var response = await client.PostAsync("/dang-nhap", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username, ["password"] = password, ["__RequestVerificationToken"] = SameAnswerTests.AntiforgeryToken(form),
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return client;
    }

    [Fact]
    public async Task ReportsPage_ShowsTheOfficesCommittee_AndHandsOutEachFormat()
    {
        var office = await SignedIn("vanphong", "vanphong-demo");
        string html = await office.GetStringAsync("/bao-cao?range=2026-Q4&report=s02");
        Assert.Contains("Sổ tổng hợp thu, nộp đảng phí", html, StringComparison.Ordinal);
        Assert.Contains(app.Demo.CommuneCommitteeCode, html, StringComparison.Ordinal);
        Assert.Contains("id=\"completion-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/bao-cao\"", html, StringComparison.Ordinal);
        foreach (var (format, magic) in new[] { ("pdf", "%PDF"u8.ToArray()), ("xlsx", "PK"u8.ToArray()), ("csv", new byte[] { 0xEF, 0xBB, 0xBF }) })
        {
            var file = await office.GetAsync($"/bao-cao?handler=Download&org={app.Demo.CommuneCommitteeCode}&range=2026-Q4&report=s02&format={format}");
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            byte[] body = await file.Content.ReadAsByteArrayAsync();
            Assert.Equal(magic, body[..magic.Length]);
            Assert.Equal($"s02-{app.Demo.CommuneCommitteeCode}-2026-Q4.{format}", file.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        }
        var chart = await office.GetAsync($"/bao-cao?handler=Chart&org={app.Demo.CommuneCommitteeCode}&range=2026-Q4");
        Assert.Equal("image/png", chart.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ReportsPage_Answers403_OutsideTheScope_AndToMembers()
    {
        var office = await SignedIn("vanphong", "vanphong-demo");
        Assert.Equal(HttpStatusCode.Forbidden, (await office.GetAsync($"/bao-cao?org={app.Demo.ProvinceCode}&range=2026-Q4")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await office.GetAsync($"/bao-cao?handler=Download&org={app.Demo.ProvinceCode}&range=2026-Q4&report=b01&format=pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await office.GetAsync($"/bao-cao?handler=Chart&org={app.Demo.ProvinceCode}&range=2026-Q4")).StatusCode);
        var member = await SignedIn("dangvien", "dangvien-demo");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/bao-cao")).StatusCode);
        Assert.DoesNotContain("href=\"/bao-cao\"", await member.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportsPage_Answers400_WithTheReason_ForABadFormatOrRange()
    {
        var office = await SignedIn("vanphong", "vanphong-demo");
        var badFormat = await office.GetAsync($"/bao-cao?handler=Download&org={app.Demo.CommuneCommitteeCode}&range=2026-Q4&report=b01&format=exe");
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
        Assert.Contains("Định dạng phải là csv, xlsx hoặc pdf.", await badFormat.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var badRange = await office.GetAsync($"/bao-cao?org={app.Demo.CommuneCommitteeCode}&range=2026-13");
        Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
    }
}

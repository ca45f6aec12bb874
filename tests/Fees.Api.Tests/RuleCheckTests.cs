using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fees.Domain.Rules;
using Fees.RuleChecks;
using Fees.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests;

/// <summary><c>POST /api/audit/rule-checks</c>: auditors run the fee laws with a seed and a number of cases; each run is audited.</summary>
public sealed class RuleCheckTests(FeesApp app) : IClassFixture<FeesApp>
{
    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("to=02/12/2026", "to")]
    [InlineData("trang=0", "trang")]
    public async Task AuditorsPage_Answers400NamingTheFilter_WhenAFilterOfTheChangeLogIsBad(string query, string field)
    {
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");

        var response = await auditor.GetAsync("/kiem-tra?tab=nhat-ky&" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field + ":", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditorsPage_ShowsTheChangeLogOfTheDay_WithinTheAuditorsScope()
    {
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");

        string html = await auditor.GetStringAsync("/kiem-tra?tab=nhat-ky&targetType=user&from=2026-12-02&to=2026-12-02");

        Assert.Contains("<table class=\"audit-log\">", html, StringComparison.Ordinal);
        Assert.Contains("thuquy", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">admin<", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditLog_FiltersByInstantsGivenInVietnamTime()
    {
        var admin = await app.Admin();

        var today = await admin.GetAsync("/api/audit?from=2026-12-02T00:00:00%2B07:00&to=2026-12-03T00:00:00%2B07:00");
        var tomorrow = await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?from=2026-12-03T00:00:00%2B07:00");

        Assert.Equal(HttpStatusCode.OK, today.StatusCode);
        Assert.NotEmpty((await today.Content.ReadFromJsonAsync<JsonElement[]>())!);
        Assert.Empty(tomorrow!);
    }

    [Fact]
    public async Task AuditorsPage_RefusesToCheckTheBooksOfAnOrganizationOutsideTheScope()
    {
        var office = await app.ClientFor("admin", FeesApp.AdminPassword);
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");

        var unknown = await auditor.GetAsync("/kiem-tra?tab=so-sach&run=true&org=NO.SUCH.ORG");
        var all = await office.GetStringAsync("/kiem-tra?tab=so-sach&run=true");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Toàn hệ thống: đạt cả", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RuleChecks_PassEveryLawWithTheSeedShown_AndTheRunIsAudited()
    {
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");

        var response = await auditor.PostAsJsonAsync("/api/audit/rule-checks", new { seed = 42, cases = 200 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(42UL, body.GetProperty("seed").GetUInt64());
        Assert.Equal("passed", body.GetProperty("outcome").GetString());
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(FeeLaws.All.Select(l => l.Id), results.Select(r => r.GetProperty("law").GetString()));
        Assert.All(results, r =>
        {
            Assert.True(r.GetProperty("passed").GetBoolean());
            Assert.Equal(200, r.GetProperty("cases").GetInt32());
            Assert.Equal(42UL, r.GetProperty("seed").GetUInt64());
            Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("statement").GetString()));
            Assert.False(r.TryGetProperty("counterexample", out _));
        });

        var records = await auditor.GetFromJsonAsync<JsonElement[]>("/api/audit?action=rule_checks.run&targetId=all");
        var record = Assert.Single(records!);
        Assert.Equal("kiemtra", record.GetProperty("actor").GetString());
        Assert.Equal("auditor", record.GetProperty("actorRole").GetString());
        Assert.Equal("rule_checks", record.GetProperty("targetType").GetString());
        Assert.Equal("all", record.GetProperty("targetId").GetString());
        var after = record.GetProperty("after");
        Assert.Equal(("all", 42UL, 200, "passed"),
            (after.GetProperty("law").GetString(), after.GetProperty("seed").GetUInt64(), after.GetProperty("cases").GetInt32(), after.GetProperty("outcome").GetString()));
        Assert.False(string.IsNullOrEmpty(record.GetProperty("requestId").GetString()));
    }

    [Fact]
    public async Task RuleChecks_RunOneLawWithARandomSeedReported_WhenNoSeedIsGiven()
    {
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");

        var body = await (await auditor.PostAsJsonAsync("/api/audit/rule-checks", new { law = "fee-never-negative", cases = 10 }))
            .Content.ReadFromJsonAsync<JsonElement>();

        var result = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.Equal("fee-never-negative", result.GetProperty("law").GetString());
        Assert.Equal(body.GetProperty("seed").GetUInt64(), result.GetProperty("seed").GetUInt64());
        Assert.Equal(10, result.GetProperty("cases").GetInt32());
    }

    [Fact]
    public async Task RuleChecks_AcceptTheLargestSeedAsAString_AndAnEmptyBody()
    {
        var admin = await app.Admin();

        var big = await admin.PostAsync("/api/audit/rule-checks", Json("""{"law":"quote-is-deterministic","seed":"18446744073709551615","cases":5}"""));
        var empty = await admin.PostAsync("/api/audit/rule-checks", Json("""{"law":"fee-never-negative","cases":null,"seed":null}"""));

        Assert.Equal(ulong.MaxValue, (await big.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seed").GetUInt64());
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal(RuleCheckPlan.DefaultCases,
            Assert.Single((await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray()).GetProperty("cases").GetInt32());
    }

    [Theory]
    [InlineData("""{"cases":0}""", "cases")]
    [InlineData("""{"cases":100001}""", "cases")]
    [InlineData("""{"cases":"many"}""", "cases")]
    [InlineData("""{"cases":2.5}""", "cases")]
    [InlineData("""{"seed":-1}""", "seed")]
    [InlineData("""{"seed":18446744073709551616}""", "seed")]
    [InlineData("""{"seed":"42abc"}""", "seed")]
    [InlineData("""{"law":"no-such-law"}""", "law")]
    [InlineData("""{"law":5}""", "law")]
    public async Task RuleChecks_Answer400NamingTheField_AndRecordNothing_WhenAFieldIsBad(string body, string field)
    {
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        int before = (await auditor.GetFromJsonAsync<JsonElement[]>("/api/audit?action=rule_checks.run&limit=1000"))!.Length;

        var response = await auditor.PostAsync("/api/audit/rule-checks", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(before, (await auditor.GetFromJsonAsync<JsonElement[]>("/api/audit?action=rule_checks.run&limit=1000"))!.Length);
    }

    [Fact]
    public async Task RuleChecks_TwentyIdenticalConcurrentRunsEachAnswerAndLeaveARecord_AndThePageListsThemFiftyAPage()
    {
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        var statuses = new List<HttpStatusCode>();
        for (int batch = 0; batch < 3; batch++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
                auditor.PostAsJsonAsync("/api/audit/rule-checks", new { law = "reduction-never-raises-fee", seed = 7, cases = 1 })));
            statuses.AddRange(responses.Select(r => r.StatusCode));
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(60, (await auditor.GetFromJsonAsync<JsonElement[]>("/api/audit?action=rule_checks.run&targetId=reduction-never-raises-fee&limit=1000"))!.Length);
        string first = await auditor.GetStringAsync("/kiem-tra?tab=nhat-ky&action=rule_checks.run&targetId=reduction-never-raises-fee");
        Assert.Equal(50, System.Text.RegularExpressions.Regex.Count(first, "<code>rule_checks.run</code>"));
        var next = System.Text.RegularExpressions.Regex.Match(first, "<a href=\"([^\"]+)\" rel=\"next\">");
        Assert.True(next.Success);
        string second = await auditor.GetStringAsync(System.Net.WebUtility.HtmlDecode(next.Groups[1].Value));
        Assert.Equal(10, System.Text.RegularExpressions.Regex.Count(second, "<code>rule_checks.run</code>"));
        Assert.DoesNotContain("rel=\"next\"", second, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("thuquy", "thuquy-demo")]
    [InlineData("vanphong", "vanphong-demo")]
    [InlineData("dangvien", "dangvien-demo")]
    public async Task RuleChecks_AreForbidden_ToAnyoneButAuditorsAndAdmins(string user, string password)
    {
        var client = await app.ClientFor(user, password);

        var response = await client.PostAsJsonAsync("/api/audit/rule-checks", new { cases = 1 });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

/// <summary>The service with a deliberately wrong rule book behind the rule checks: exemption only after 60 party years.</summary>
public sealed class WrongRuleBookApp : EmptyFeesApp
{
    /// <summary>01-QĐ/TW with the 50-year exemption moved to 60 years: the exemption law must catch it.</summary>
    public static FeeRuleBook SixtyYears { get; } = new(
        [FeeRuleSet.Qd01From2026 with { ExemptAfterPartyYears = 60 }, FeeRuleSet.Qd01From2028 with { ExemptAfterPartyYears = 60 }],
        MinimumWageTable.Vietnam);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton(sp => new RuleCheckRunner(SixtyYears, sp.GetRequiredService<TimeProvider>())));
    }
}

/// <summary>A law made to fail on purpose, through the API: the counterexample comes back in Vietnamese.</summary>
public sealed class RuleCheckCounterexampleTests(WrongRuleBookApp app) : IClassFixture<WrongRuleBookApp>
{
    [Fact]
    public async Task RuleChecks_ReturnAVietnameseCounterexample_WhenTheRuleBookBreaksALaw()
    {
        var admin = await app.Admin();

        var response = await admin.PostAsJsonAsync("/api/audit/rule-checks", new { law = "exempt-members-pay-nothing", seed = 42, cases = 1000 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("failed", body.GetProperty("outcome").GetString());
        var result = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.False(result.GetProperty("passed").GetBoolean());
        Assert.StartsWith("Đảng viên thuộc diện miễn đóng đảng phí", result.GetProperty("statement").GetString(), StringComparison.Ordinal);
        var example = result.GetProperty("counterexample");
        Assert.Equal("miễn đóng, 0 đ (đủ 50 năm tuổi đảng, FR-08)", example.GetProperty("expected").GetString());
        Assert.DoesNotContain("miễn", example.GetProperty("actual").GetString(), StringComparison.Ordinal);
        var inputs = example.GetProperty("inputs").EnumerateArray().ToDictionary(i => i.GetProperty("label").GetString()!, i => i.GetProperty("value").GetString());
        Assert.Matches(@"^tháng \d+/\d{4}$", inputs["Kỳ đảng phí"]);
        Assert.Matches(@"^\d\d/\d\d/\d{4}$", inputs["Ngày vào Đảng"]);
        Assert.StartsWith("Với Kỳ đảng phí: tháng ", example.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.True(example.GetProperty("shrinks").GetInt32() > 0);

        var record = Assert.Single((await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?action=rule_checks.run&targetId=exempt-members-pay-nothing"))!);
        Assert.Equal("failed", record.GetProperty("after").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task RuleChecksPage_ShowsTheCounterexampleInVietnamese_WhenTheRuleBookBreaksALaw()
    {
        var admin = await app.Admin();
        string form = await admin.GetStringAsync("/kiem-tra?tab=quy-tac");
        string token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        var response = await admin.PostAsync("/kiem-tra?handler=Laws", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["law"] = "all",
            ["seed"] = "42",
            ["cases"] = "300",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("1 quy luật không đạt", html, StringComparison.Ordinal);
        Assert.Contains("Trường hợp sai đơn giản nhất tìm được", html, StringComparison.Ordinal);
        Assert.Contains("<dt>Ngày vào Đảng</dt>", html, StringComparison.Ordinal);
        Assert.Contains("miễn đóng, 0 đ (đủ 50 năm tuổi đảng, FR-08)", html, StringComparison.Ordinal);
        Assert.Contains("<strong class=\"mono\" id=\"run-seed\">42</strong>", html, StringComparison.Ordinal);
    }
}

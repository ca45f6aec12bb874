using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Api.Security;
using Fees.Persistence.AccessTrace;
using Fees.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests;

/// <summary>
/// The service under test, where a request may say which client address it comes from (<c>X-Test-Client</c>): the test
/// server has no sockets, and the trace records where each request came from.
/// </summary>
public sealed class TracedFeesApp : FeesApp
{
    public const string ClientHeader = "X-Test-Client";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<IStartupFilter, ClientAddressFromHeader>());
    }

    /// <summary>Signs in and reads as someone at <paramref name="address"/>.</summary>
    public async Task<HttpClient> ClientAt(string address, string username, string password)
    {
        var client = await ClientFor(username, password);
        client.DefaultRequestHeaders.Add(ClientHeader, address);
        return client;
    }

    /// <summary>Everything queued in the access trace, written.</summary>
    public Task Flush() => Services.GetRequiredService<IAccessTrace>().FlushAsync();

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientHeader].ToString(), out var ip))
                {
                    context.Connection.RemoteIpAddress = ip;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>
/// Every read of a member's records, every export and every sign-in leaves a row in the append-only access trace: who
/// (username, role), what, which target, when, from where, the request and the status answered; auditors read the rows
/// of their subtree.
/// </summary>
public sealed class AccessTraceTests(TracedFeesApp app) : IClassFixture<TracedFeesApp>
{
    [Fact]
    public async Task Auditor_SeesWhoReadAMembersRecords_WhenTheMemberAndTheTreasurerReadThem()
    {
        string memberNo = app.Demo.CellMemberNo;
        var member = await app.ClientAt("203.0.113.7", "dangvien", "dangvien-demo");
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/api/members/{memberNo}/statements")).StatusCode);
        var treasurer = await app.ClientAt("198.51.100.9", "thuquy", "thuquy-demo");
        Assert.Equal(HttpStatusCode.OK, (await treasurer.GetAsync($"/api/members/{memberNo}")).StatusCode);
        await app.Flush();

        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        var rows = await Rows(auditor, $"/api/audit/access?member={memberNo}");
        // Other tests of this class read the same member: this test's requests are the ones from its addresses.
        var statements = Assert.Single(rows, r => r.GetProperty("action").GetString() == AccessActions.StatementsRead
            && r.GetProperty("clientAddress").GetString() == "203.0.113.7");
        Assert.Equal("dangvien", statements.GetProperty("username").GetString());
        Assert.Equal("member", statements.GetProperty("role").GetString());
        Assert.Equal("member", statements.GetProperty("targetType").GetString());
        Assert.Equal(memberNo, statements.GetProperty("target").GetString());
        Assert.Equal("203.0.113.7", statements.GetProperty("clientAddress").GetString());
        Assert.Equal(200, statements.GetProperty("status").GetInt32());
        Assert.Equal(app.Clock.GetUtcNow(), statements.GetProperty("at").GetDateTimeOffset());
        Assert.False(string.IsNullOrEmpty(statements.GetProperty("requestId").GetString()));
        Assert.Equal(app.Demo.ProvinceCode, statements.GetProperty("provinceCode").GetString());
        Assert.Contains("/" + app.Demo.CellCode + "/", statements.GetProperty("orgPath").GetString(), StringComparison.Ordinal);

        var read = Assert.Single(rows, r => r.GetProperty("action").GetString() == AccessActions.MemberRead
            && r.GetProperty("clientAddress").GetString() == "198.51.100.9");
        Assert.Equal("thuquy", read.GetProperty("username").GetString());
        Assert.Equal("treasurer", read.GetProperty("role").GetString());
        Assert.Equal(200, read.GetProperty("status").GetInt32());
        Assert.NotEqual(statements.GetProperty("requestId").GetString(), read.GetProperty("requestId").GetString());
        // Newest first.
        Assert.True(rows.IndexOf(read) < rows.IndexOf(statements));

        var admin = await app.Admin();
        Assert.Equal(2, (await Rows(admin, $"/api/audit/access?member={memberNo}")).Count(r =>
            r.GetProperty("clientAddress").GetString() is "203.0.113.7" or "198.51.100.9"));
    }

    [Fact]
    public async Task AuditorOfAnotherProvince_SeesNoneOfTheRows()
    {
        string memberNo = app.Demo.CellMemberNo;
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        (await member.GetAsync($"/api/members/{memberNo}/statements")).EnsureSuccessStatusCode();
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        (await treasurer.GetAsync($"/api/members/{memberNo}")).EnsureSuccessStatusCode();

        var admin = await app.Admin();
        (await admin.PostAsync("/api/import/orgs", Csv.Body(
            "code,name,kind,parent_code,setting,wage_region,bank_bin,bank_account,bank_account_name\n" +
            "ZZ,Tỉnh ủy Thử,province,,other,1,970436,0071000962707,TINH UY THU\n"))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/users", new { username = "kiemtra.zz", password = "kiemtra-zz-pass", role = "auditor", orgCode = "ZZ" }))
            .EnsureSuccessStatusCode();
        await app.Flush();

        var elsewhere = await app.ClientFor("kiemtra.zz", "kiemtra-zz-pass");
        Assert.Empty(await Rows(elsewhere, $"/api/audit/access?member={memberNo}"));
        var everything = await Rows(elsewhere, "/api/audit/access?limit=1000");
        Assert.DoesNotContain(everything, r => r.GetProperty("target").GetString() == memberNo);
        Assert.DoesNotContain(everything, r => r.GetProperty("username").GetString() is "dangvien" or "thuquy");
        Assert.NotEmpty(await Rows(await app.ClientFor("kiemtra", "kiemtra-demo"), $"/api/audit/access?member={memberNo}"));
    }

    [Fact]
    public async Task SignIns_AreTraced_SucceededAndFailed_WithTheUsernameTried()
    {
        var anonymous = app.CreateClient();
        anonymous.DefaultRequestHeaders.Add(TracedFeesApp.ClientHeader, "192.0.2.44");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "ke.gia.mao", password = "doan-mo" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "vanphong", password = "sai-mat-khau" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "vanphong", password = "vanphong-demo" })).StatusCode);
        await app.Flush();

        var admin = await app.Admin();
        var unknown = Assert.Single(await Rows(admin, "/api/audit/access?user=ke.gia.mao"));
        Assert.Equal(AccessActions.SignInFailed, unknown.GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Null, unknown.GetProperty("role").ValueKind);
        Assert.Equal("user", unknown.GetProperty("targetType").GetString());
        Assert.Equal("192.0.2.44", unknown.GetProperty("clientAddress").GetString());
        Assert.Equal(401, unknown.GetProperty("status").GetInt32());

        var office = await Rows(admin, "/api/audit/access?user=vanphong&limit=2");
        Assert.Equal([AccessActions.SignInSucceeded, AccessActions.SignInFailed], office.Select(r => r.GetProperty("action").GetString()));
        Assert.All(office, r => Assert.Equal("office", r.GetProperty("role").GetString()));
        Assert.Equal([200, 401], office.Select(r => r.GetProperty("status").GetInt32()));

        // The province's auditor sees the sign-ins of users in the province, not attempts on names nobody has.
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        Assert.Equal(2, (await Rows(auditor, "/api/audit/access?user=vanphong&limit=2")).Count);
        Assert.Empty(await Rows(auditor, "/api/audit/access?user=ke.gia.mao"));
    }

    [Fact]
    public async Task SignIn_AsAUsernameWithANulCharacter_IsRefusedAndTraced()
    {
        var response = await app.CreateClient().PostAsync("/api/auth/token",
            new StringContent("{\"username\":\"ke\\u0000gian\",\"password\":\"x\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await app.Flush();
        Assert.Equal(1, await app.Scalar("select count(*) from access_trace where username = 'kegian' and action = 'sign_in.failed' and status = 401"));
    }

    [Fact]
    public async Task RefusedRead_IsTracedWithTheStatusAnswered()
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.GetAsync($"/api/members/{app.Demo.SiblingCellMemberNo}/payment-qr.png")).StatusCode);
        await app.Flush();

        var rows = await Rows(await app.Admin(), $"/api/audit/access?member={app.Demo.SiblingCellMemberNo}&user=thuquy&action={AccessActions.PaymentQrRead}");
        Assert.Equal(403, Assert.Single(rows).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task JournalExport_AndTheMembersOwnPage_AreTraced()
    {
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        (await auditor.GetAsync($"/api/orgs/{app.Demo.CellCode}/journal?format=hledger")).EnsureSuccessStatusCode();
        var member = await app.ClientFor("dangvien", "dangvien-demo"); // the session also opens the pages
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("/dang-phi")).StatusCode);
        await app.Flush();

        var rows = await Rows(auditor, "/api/audit/access?limit=1000");
        var export = Assert.Single(rows, r => r.GetProperty("action").GetString() == AccessActions.JournalExport);
        Assert.Equal("org", export.GetProperty("targetType").GetString());
        Assert.Equal(app.Demo.CellCode, export.GetProperty("target").GetString());
        Assert.Equal("auditor", export.GetProperty("role").GetString());
        var page = Assert.Single(rows, r => r.GetProperty("action").GetString() == AccessActions.DuesPageRead);
        // The member's own records: traced under their number, though the page names none.
        Assert.Equal(app.Demo.CellMemberNo, page.GetProperty("target").GetString());
        Assert.Equal(200, page.GetProperty("status").GetInt32());
    }

    [Fact]
    public void EveryReadOfAMembersRecords_IsTraced()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Where(e => e.RoutePattern.RawText is { } p && (p.StartsWith("/api/members/{memberNo}", StringComparison.Ordinal)
                || p.EndsWith("/journal", StringComparison.Ordinal) || p.StartsWith("/dang-phi", StringComparison.Ordinal)))
            .ToList();
        Assert.True(endpoints.Count >= 10, string.Join(", ", endpoints.Select(e => e.RoutePattern.RawText)));
        Assert.All(endpoints, e => Assert.True(
            e.Metadata.GetMetadata<TracesAccessMetadata>() is not null || e.Metadata.GetMetadata<TracesAccessAttribute>() is not null,
            $"{e.RoutePattern.RawText} is not traced"));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=mot-tram", "limit")]
    [InlineData("from=2026-12-02T10:00:00", "from")]
    [InlineData("to=hom-nay", "to")]
    [InlineData("from=2026-12-02T10:00:00%2B07:00&to=2026-12-01T10:00:00%2B07:00", "to")]
    [InlineData("member=0175365500-0175365500-x", "member")]
    [InlineData("member=%27%20or%201=1", "member")]
    [InlineData("action=Sign_In.Failed", "action")]
    public async Task AccessQuery_IsRefused_NamingTheBadField(string query, string field)
    {
        var response = await (await app.Admin()).GetAsync("/api/audit/access?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), errors.ToString());
    }

    [Fact]
    public async Task AccessQuery_FiltersByTime_AsInstants()
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        (await treasurer.GetAsync($"/api/members/{app.Demo.CellTreasurerMemberNo}/fee-decisions")).EnsureSuccessStatusCode();
        await app.Flush();
        var admin = await app.Admin();
        // The service's clock stands at 2026-12-02 10:00 in Vietnam (03:00 UTC).
        string filter = $"member={app.Demo.CellTreasurerMemberNo}&action={AccessActions.FeeDecisionsRead}";
        Assert.Single(await Rows(admin, $"/api/audit/access?{filter}&from=2026-12-02T10:00:00%2B07:00&to=2026-12-02T03:00:01Z"));
        Assert.Empty(await Rows(admin, $"/api/audit/access?{filter}&to=2026-12-02T10:00:00%2B07:00"));
        Assert.Empty(await Rows(admin, $"/api/audit/access?{filter}&from=2026-12-02T03:00:00.001Z"));
    }

    [Fact]
    public async Task AccessTrace_IsForAuditorsAndAdminsOnly()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientFor("thuquy", "thuquy-demo")).GetAsync("/api/audit/access")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await app.ClientFor("dangvien", "dangvien-demo")).GetAsync("/api/audit/access")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/audit/access")).StatusCode);
    }

    [Theory]
    [InlineData("update access_trace set username = 'someone else'")]
    [InlineData("delete from access_trace")]
    [InlineData("truncate access_trace")]
    public async Task RewritingTraceRows_FailsForTheServicesDatabaseRole(string sql)
    {
        await EnsureARow();
        await using var conn = new NpgsqlConnection(app.Database.App);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var error = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Contains("permission denied", error.MessageText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("update access_trace set username = 'someone else'")]
    [InlineData("delete from access_trace")]
    [InlineData("truncate access_trace")]
    public async Task RewritingTraceRows_FailsEvenForTheOwner(string sql)
    {
        await EnsureARow();
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var error = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        Assert.True(await app.Scalar("select count(*) from access_trace") > 0);
    }

    [Fact]
    public async Task AuditorsPage_ReadsTheAccessTrace_FilteredByMemberUserActionAndDay_AndRefusesABadFilter()
    {
        string memberNo = app.Demo.CellMemberNo;
        var treasurer = await app.ClientAt("192.0.2.44", "thuquy", "thuquy-demo");
        Assert.Equal(HttpStatusCode.OK, (await treasurer.GetAsync($"/api/members/{memberNo}/fee-decisions")).StatusCode);
        await app.Flush();
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");

        var page = await auditor.GetAsync($"/kiem-tra?tab=truy-cap&member={memberNo}&user=thuquy&action=fee_decisions.read&from=2026-12-02&to=2026-12-02");
        string html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<table class=\"access-trace\">", html, StringComparison.Ordinal);
        Assert.Contains("192.0.2.44", html, StringComparison.Ordinal);
        Assert.Contains($"data-action=\"fee_decisions.read\" data-target=\"{memberNo}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-action=\"statements.read\"", html, StringComparison.Ordinal);

        // The day after holds nothing; another user's reads are not listed under thuquy.
        Assert.Contains("id=\"access-empty\"", await auditor.GetStringAsync($"/kiem-tra?tab=truy-cap&member={memberNo}&from=2026-12-03"),
            StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.44", await auditor.GetStringAsync("/kiem-tra?tab=truy-cap&user=dangvien"), StringComparison.Ordinal);

        foreach (var (query, field) in new[] { ("member=" + new string('9', 5_000), "member"), ("action=DROP%20TABLE", "action"),
            ("from=02/12/2026", "from"), ("from=2026-12-03&to=2026-12-02", "to"), ("user=a%00b", "user") })
        {
            var bad = await auditor.GetAsync($"/kiem-tra?tab=truy-cap&{query}");
            string body = await bad.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains($"data-field=\"{field}\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain(new string('9', 1_000), body, StringComparison.Ordinal);
        }

        var treasurerPage = await (await app.ClientFor("thuquy", "thuquy-demo")).GetAsync("/kiem-tra?tab=truy-cap");
        Assert.NotEqual(HttpStatusCode.OK, treasurerPage.StatusCode);
    }

    private async Task EnsureARow()
    {
        await app.ClientFor("thuquy", "thuquy-demo");
        await app.Flush();
    }

    private static async Task<List<JsonElement>> Rows(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
    }
}

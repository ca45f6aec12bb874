using System.Net;
using Fees.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fees.Api.Tests.Accounts;

/// <summary>The admin's users page (<c>/quan-tri/tai-khoan</c>): admins only, every form behind the antiforgery token.</summary>
public sealed class AdminUsersPageTests(FeesApp app) : IClassFixture<FeesApp>
{
    private const string Page = "/quan-tri/tai-khoan";

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
    public async Task UsersPage_IsForAdminsOnly()
    {
        var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var redirect = await anonymous.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("/dang-nhap", redirect.Headers.Location?.OriginalString, StringComparison.Ordinal);

        var office = await SignedIn("vanphong", "vanphong-demo");
        Assert.Equal(HttpStatusCode.Forbidden, (await office.GetAsync(Page)).StatusCode);
        Assert.DoesNotContain("href=\"/quan-tri/tai-khoan\"", await office.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersPage_ListsRoleScopeAndStateInVietnamese_AndTheNavLinksToIt()
    {
        var admin = await SignedIn("admin", FeesApp.AdminPassword);
        Assert.Contains("href=\"/quan-tri/tai-khoan\"", await admin.GetStringAsync("/"), StringComparison.Ordinal);

        string html = await admin.GetStringAsync(Page + "?q=thuquy");

        Assert.Contains("data-username=\"thuquy\"", html, StringComparison.Ordinal);
        Assert.Contains("Chi ủy / người thu đảng phí", html, StringComparison.Ordinal);
        Assert.Contains(app.Demo.CellCode, html, StringComparison.Ordinal);
        Assert.Contains("Đang hoạt động", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-username=\"vanphong\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersPage_RefusesEveryFormWithoutTheAntiforgeryToken()
    {
        var admin = await SignedIn("admin", FeesApp.AdminPassword);
        var forms = new Dictionary<string, Dictionary<string, string>>
        {
            ["Create"] = new() { ["Username"] = "forged.user", ["Role"] = "admin", ["Password"] = "forged-password" },
            ["Lock"] = new() { ["username"] = "thuquy" },
            ["Unlock"] = new() { ["username"] = "thuquy" },
            ["Password"] = new() { ["username"] = "thuquy", ["password"] = "forged-password" },
        };
        foreach (var (handler, fields) in forms)
        {
            var response = await admin.PostAsync($"{Page}?handler={handler}", new FormUrlEncodedContent(fields));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await app.TryToken("thuquy", "thuquy-demo")).StatusCode);
        Assert.DoesNotContain("data-username=\"forged.user\"", await admin.GetStringAsync(Page + "?q=forged"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersPage_ShowsWhyACreationIsRefused_InVietnamese()
    {
        var admin = await SignedIn("admin", FeesApp.AdminPassword);
        string form = await admin.GetStringAsync(Page);
        var response = await admin.PostAsync($"{Page}?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = "no.scope", ["Role"] = "treasurer", ["OrgCode"] = "NO-SUCH-ORG", ["Password"] = "long-enough-1",
            ["__RequestVerificationToken"] = SameAnswerTests.AntiforgeryToken(form),
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Cần mã tổ chức đảng đã có trong hệ thống", html, StringComparison.Ordinal);
        Assert.Contains("value=\"no.scope\"", html, StringComparison.Ordinal);

        var self = await admin.PostAsync($"{Page}?handler=Lock", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin", ["__RequestVerificationToken"] = SameAnswerTests.AntiforgeryToken(form),
        }));
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Contains("Không thể tự khóa tài khoản của chính mình.", await self.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

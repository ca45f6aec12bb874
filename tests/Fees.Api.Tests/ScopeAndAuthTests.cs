using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Testing;

namespace Fees.Api.Tests;

/// <summary>Roles are scoped to an organization's subtree on every endpoint; locked users are shut out at once.</summary>
public sealed class ScopeAndAuthTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task Treasurer_Gets403_ForAMemberOfASiblingCell()
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        var own = await treasurer.GetAsync($"/api/members/{app.Demo.CellMemberNo}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var sibling = await treasurer.GetAsync($"/api/members/{app.Demo.SiblingCellMemberNo}");
        Assert.Equal(HttpStatusCode.Forbidden, sibling.StatusCode);
        var siblingCell = await treasurer.GetAsync($"/api/orgs/{app.Demo.SiblingCellCode}/members");
        Assert.Equal(HttpStatusCode.Forbidden, siblingCell.StatusCode);
    }

    [Fact]
    public async Task Treasurer_NeverSeesOutsiders_InListsSearchesOrCounts()
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        var all = await treasurer.GetFromJsonAsync<JsonElement>("/api/members?page=1");
        var items = all.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, m => Assert.Equal(app.Demo.CellCode, m.GetProperty("orgCode").GetString()));
        var adminView = await (await app.Admin()).GetFromJsonAsync<JsonElement>($"/api/orgs/{app.Demo.CellCode}/members");
        Assert.Equal(adminView.GetProperty("total").GetInt32(), all.GetProperty("total").GetInt32());

        var byNumber = await treasurer.GetFromJsonAsync<JsonElement>($"/api/members?q={app.Demo.SiblingCellMemberNo}");
        Assert.Equal(0, byNumber.GetProperty("total").GetInt32());
        var orgSearch = await treasurer.GetFromJsonAsync<JsonElement>($"/api/orgs?q={app.Demo.SiblingCellCode}");
        Assert.Empty(orgSearch.GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("/api/members?q=")]
    [InlineData("/api/orgs?q=")]
    [InlineData("/api/orgs/{cell}/members?q=")]
    public async Task ASearchTextOverTheBound_IsA400NamingQ(string path)
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        string url = path.Replace("{cell}", app.Demo.CellCode, StringComparison.Ordinal);
        var atBound = await treasurer.GetAsync(url + new string('a', Fees.Api.Hosting.Paging.MaxSearchLength));
        Assert.Equal(HttpStatusCode.OK, atBound.StatusCode);
        var over = await treasurer.GetAsync(url + new string('a', Fees.Api.Hosting.Paging.MaxSearchLength + 1));
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        var problem = await over.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("q", out _), problem.ToString());
    }

    [Fact]
    public async Task Member_SeesOnlyTheirOwnRecord()
    {
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/api/members/{app.Demo.CellMemberNo}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"/api/members/{app.Demo.CellTreasurerMemberNo}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync("/api/members")).StatusCode);
    }

    [Fact]
    public async Task LockedUser_Gets401_OnSignIn_AndOnATokenIssuedBeforeTheLock()
    {
        var admin = await app.Admin();
        (await admin.PostAsJsonAsync("/api/users", new { username = "locked.treasurer", password = "secret-pass-1", role = "treasurer", orgCode = app.Demo.CellCode }))
            .EnsureSuccessStatusCode();
        var before = await app.ClientFor("locked.treasurer", "secret-pass-1");
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/api/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/users/locked.treasurer/lock", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/me")).StatusCode);
        var signIn = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "locked.treasurer", password = "secret-pass-1" });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/users/locked.treasurer/unlock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "locked.treasurer", password = "secret-pass-1" })).StatusCode);
    }

    [Fact]
    public async Task RepeatedBadPasswords_LockOutForAWhile_ThenLetTheOwnerBackIn()
    {
        var admin = await app.Admin();
        (await admin.PostAsJsonAsync("/api/users", new { username = "guesser.target", password = "right-pass-1", role = "auditor", orgCode = app.Demo.ProvinceCode }))
            .EnsureSuccessStatusCode();
        var anonymous = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 10; i++)
        {
            statuses.Add((await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "guesser.target", password = "wrong" })).StatusCode);
        }
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        // The tenth failure locks the account out: even the right password is refused, with the same answer.
        var lockedOut = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "guesser.target", password = "right-pass-1" });
        Assert.Equal(HttpStatusCode.Unauthorized, lockedOut.StatusCode);
        // For fifteen minutes, not for good.
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = "guesser.target", password = "right-pass-1" })).StatusCode);
    }

    [Fact]
    public async Task Staff_CannotCreateUsers_OnlyAdminsCan()
    {
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        var response = await office.PostAsJsonAsync("/api/users", new { username = "x.y", password = "12345678", role = "admin" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Office_CannotImportMembersOutsideTheirSubtree()
    {
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        var response = await office.PostAsync("/api/import/members", Csv.Body(
            "member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on\n" +
            $"88000001,Trần Thị Bình,{app.Demo.ProvinceCode},official,si,1985-03-02,F,2010-02-03\n"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("line 2: org_code", out _), errors.ToString());
    }
}

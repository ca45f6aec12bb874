using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Persistence;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests.Closing;

/// <summary>
/// An organization's close of a period: the split by the retention policy (legacy 342 by default), frozen and once only;
/// a parent waits for its children; the remittance order's VietQR into the parent's account, confirmed by the parent's
/// bank feed through the matcher; cancelling an order before the money left reverses and reopens the close. The books
/// pass every audit check throughout.
/// </summary>
public sealed class PeriodCloseTests(FeesApp app) : IClassFixture<FeesApp>, IAsyncLifetime
{
    private HttpClient _admin = null!;
    private HttpClient _treasurer = null!;
    private HttpClient _office = null!;

    public async Task InitializeAsync()
    {
        _admin = await app.Admin();
        foreach (string period in new[] { "2026-08", "2026-09", "2026-10", "2026-11" })
        {
            var r = await _admin.PostAsync($"/api/cycles/{period}/generate", null);
            Assert.True(r.IsSuccessStatusCode, period + ": " + r.StatusCode);
        }
        _treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        _office = await app.ClientFor("vanphong", "vanphong-demo");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string Code, long Id)> ParentOf(string orgCode) => await app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<FeesDbContext>();
        var org = await db.Orgs.AsNoTracking().SingleAsync(o => o.Code == orgCode);
        var parent = await db.Orgs.AsNoTracking().SingleAsync(o => o.Id == org.ParentId);
        return (parent.Code, parent.Id);
    });

    [Fact]
    public async Task Close_SplitsWhatMembersPaid_ThirtySeventy_AndAnswers409TheSecondTime()
    {
        long paid = await app.PayAllOf(_admin, app.Demo.CellMemberNo);
        var (parentCode, _) = await ParentOf(app.Demo.CellCode);

        var response = await _treasurer.PostAsync($"/api/orgs/{app.Demo.CellCode}/periods/2026-11/close", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var close = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(paid, close.GetProperty("collected").GetInt64());
        long remitted = paid * 70 / 100;
        Assert.Equal(remitted, close.GetProperty("remitted").GetInt64());
        Assert.Equal(paid - remitted, close.GetProperty("retained").GetInt64());
        Assert.Equal(parentCode, close.GetProperty("parentOrgCode").GetString());
        string reference = close.GetProperty("remittanceReference").GetString()!;
        Assert.Matches("^DR[2-9A-HJKMNP-Z]{8}$", reference);
        Assert.Contains(reference, close.GetProperty("payload").GetString(), StringComparison.Ordinal);
        Assert.Equal("legacy-342/cell", close.GetProperty("ruleId").GetString());

        var again = await _treasurer.PostAsync($"/api/orgs/{app.Demo.CellCode}/periods/2026-11/close", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var earlier = await _treasurer.PostAsync($"/api/orgs/{app.Demo.CellCode}/periods/2026-10/close", null);
        Assert.Equal(HttpStatusCode.Conflict, earlier.StatusCode);
        await _admin.AllChecksPass();
    }

    [Fact]
    public async Task Close_IsRefused_ForAPeriodNotOver_BeforeTheSystem_Malformed_OrOutsideScope()
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _treasurer.PostAsync($"/api/orgs/{app.Demo.CellCode}/periods/2026-12/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _treasurer.PostAsync($"/api/orgs/{app.Demo.SiblingCellCode}/periods/2026-11/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _office.PostAsync($"/api/orgs/{app.Demo.SiblingCellCode}/periods/2026-12/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _office.PostAsync($"/api/orgs/{app.Demo.SiblingCellCode}/periods/2026-07/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _office.PostAsync($"/api/orgs/{app.Demo.SiblingCellCode}/periods/2026-13/close", null)).StatusCode);
        var (parentCode, _) = await ParentOf(app.Demo.CellCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _treasurer.PostAsync($"/api/orgs/{parentCode}/periods/2026-11/close", null)).StatusCode);
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsync($"/api/orgs/{app.Demo.CellCode}/periods/2026-11/close", null)).StatusCode);
    }

    [Fact]
    public async Task TwentyConcurrentCloses_CloseOnce_AndTheOthersAnswer409()
    {
        string cell = app.Demo.SiblingCellCode;
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _office.PostAsync($"/api/orgs/{cell}/periods/2026-10/close", null)));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        await _admin.AllChecksPass();
    }

    [Fact]
    public async Task AParent_WaitsForItsChildren_ThenClosesOnTheirRemittances_AndTheFeedConfirmsTheOrder()
    {
        var (cell, baseCode, memberNo) = await app.AnotherCell();
        await app.PayAllOf(_admin, memberNo);
        var blocked = await _office.PostAsync($"/api/orgs/{baseCode}/periods/2026-09/close", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, blocked.StatusCode);
        var problem = await blocked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("children_not_closed", problem.GetProperty("code").GetString());
        var overview = await _office.GetFromJsonAsync<JsonElement>($"/api/orgs/{baseCode}/periods/2026-09/close");
        Assert.Contains(overview.GetProperty("children").EnumerateArray(), c => c.GetProperty("status").GetString() == "missing");

        // The office closes its whole subtree, children first, up to its own committee.
        var cascade = await _office.PostAsync($"/api/orgs/{app.Demo.CommuneCommitteeCode}/periods/2026-09/close-subtree", null);
        Assert.Equal(HttpStatusCode.OK, cascade.StatusCode);
        var result = await cascade.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Empty(result.GetProperty("refused").EnumerateArray());
        var baseClose = (await _office.GetFromJsonAsync<JsonElement>($"/api/orgs/{baseCode}/periods/2026-09/close")).GetProperty("close");
        Assert.Equal("closed", baseClose.GetProperty("status").GetString());
        Assert.True(baseClose.GetProperty("receivedFromChildren").GetInt64() > 0);

        // The cell's order is confirmed when the parent's bank reports the credit with its reference, however rewritten.
        var orders = await _office.GetFromJsonAsync<JsonElement>($"/api/orgs/{cell}/remittances");
        var order = orders.EnumerateArray().Single(o => o.GetProperty("period").GetString() == "2026-09" && o.GetProperty("orgCode").GetString() == cell);
        Assert.Equal("created", order.GetProperty("status").GetString());
        var parentAccount = await app.Account(baseCode);
        string reference = order.GetProperty("reference").GetString()!;
        var (wrongAmount, wrongBody) = await app.Pay(parentAccount, order.GetProperty("amount").GetInt64() + 1, reference);
        Assert.Equal("unmatched", wrongBody.GetProperty("status").GetString());
        var (response, body) = await app.Pay(parentAccount, order.GetProperty("amount").GetInt64(),
            "MBVCB.1234567." + reference[..5] + " " + reference[5..].ToLowerInvariant() + ".CT tu 0011001234567 CHI BO toi " + parentAccount.Number);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("matched", body.GetProperty("status").GetString());
        var confirmed = await _office.GetFromJsonAsync<JsonElement>($"/api/remittances/{order.GetProperty("id").GetInt64()}");
        Assert.Equal("confirmed", confirmed.GetProperty("status").GetString());

        // Once the parent has taken the child's close in, the child cannot cancel its order.
        var cancel = await _office.PostAsync($"/api/remittances/{order.GetProperty("id").GetInt64()}/cancel", JsonContent.Create(new { reason = "nhầm số liệu" }));
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        await _admin.AllChecksPass();
    }
}

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

    /// <summary>Pays everything a member of the cell owes, through the bank feed, with their own QR's reference.</summary>
    private async Task<long> PayAllOf(string memberNo)
    {
        var qr = await _admin.GetFromJsonAsync<JsonElement>($"/api/members/{memberNo}/payment-qr");
        long amount = qr.GetProperty("amount").GetInt64();
        var account = new OrgAccount(0, "", qr.GetProperty("bankBin").GetString()!, qr.GetProperty("accountNumber").GetString()!);
        var (response, body) = await app.Pay(account, amount, qr.GetProperty("reference").GetString() + " DANG PHI");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("matched", body.GetProperty("status").GetString());
        return amount;
    }

    private async Task AllChecksPass()
    {
        var checks = await _admin.GetFromJsonAsync<JsonElement>("/api/audit/checks");
        var failed = checks.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("passed").GetBoolean()).Select(c => c.ToString()).ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
    }

    [Fact]
    public async Task Close_SplitsWhatMembersPaid_ThirtySeventy_AndAnswers409TheSecondTime()
    {
        long paid = await PayAllOf(app.Demo.CellMemberNo);
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
        await AllChecksPass();
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
        await AllChecksPass();
    }

    /// <summary>A cell of the commune other than the demo's two, with an account, a parent with an account, and a member who owes.</summary>
    private async Task<(string Cell, string Parent, string MemberNo)> AnotherCell() => await app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<FeesDbContext>();
        var commune = await db.Orgs.AsNoTracking().SingleAsync(o => o.Code == app.Demo.CommuneCommitteeCode);
        var cells = await db.Orgs.AsNoTracking()
            .Where(o => o.Path.StartsWith(commune.Path) && o.Kind == Fees.Domain.Organizations.OrgKind.Cell && o.BankAccount != null
                        && o.Code != app.Demo.CellCode && o.Code != app.Demo.SiblingCellCode)
            .OrderBy(o => o.Code).ToListAsync();
        foreach (var cell in cells)
        {
            var parent = await db.Orgs.AsNoTracking().SingleAsync(o => o.Id == cell.ParentId);
            var owing = await db.Statements.AsNoTracking()
                .Where(st => st.OrgId == cell.Id && st.Status == Fees.Domain.Dues.DuesStatementStatus.Issued && st.Amount > Fees.Domain.Amounts.Money.Zero)
                .Select(st => st.MemberId).FirstOrDefaultAsync();
            if (parent.BankAccount is not null && owing != 0)
            {
                var member = await db.Members.AsNoTracking().SingleAsync(m => m.Id == owing);
                return (cell.Code, parent.Code, member.MemberNo);
            }
        }
        throw new InvalidOperationException("The demo commune has no other cell with a member who owes.");
    });

    [Fact]
    public async Task AParent_WaitsForItsChildren_ThenClosesOnTheirRemittances_AndTheFeedConfirmsTheOrder()
    {
        var (cell, baseCode, memberNo) = await AnotherCell();
        await PayAllOf(memberNo);
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
        await AllChecksPass();
    }
}

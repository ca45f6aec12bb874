using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Api.Jobs;
using Fees.Testing;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests.Closing;

/// <summary>
/// A close over time: dues paid after their month closed are swept into the next close (the S01/ĐP book's "truy thu");
/// a quarterly organization closes only at the quarter's end, over the quarter; a cancelled order reopens the close,
/// which is redone as a second revision. The books pass every audit check after each.
/// </summary>
public sealed class CloseLifecycleTests(FeesApp app) : IClassFixture<FeesApp>, IAsyncLifetime
{
    private HttpClient _admin = null!;
    private HttpClient _office = null!;

    public async Task InitializeAsync()
    {
        _admin = await app.Admin();
        foreach (string period in new[] { "2026-08", "2026-09", "2026-10", "2026-11" })
        {
            Assert.True((await _admin.PostAsync($"/api/cycles/{period}/generate", null)).IsSuccessStatusCode);
        }
        _office = await app.ClientFor("vanphong", "vanphong-demo");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonElement> Close(string org, string period, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await _office.PostAsync($"/api/orgs/{org}/periods/{period}/close", null);
        Assert.True(expected == response.StatusCode, $"{org} {period}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task LatePayment_ForAClosedMonth_IsSweptIntoTheNextClose()
    {
        var (cell, _, memberNo) = await app.AnotherCell();
        // August to October close with nothing paid (the member pays nothing until late November).
        foreach (string period in new[] { "2026-08", "2026-09", "2026-10" })
        {
            Assert.Equal(0, (await Close(cell, period)).GetProperty("collected").GetInt64());
        }
        long paid = await app.PayAllOf(_admin, memberNo); // August to November at once

        var november = await Close(cell, "2026-11");
        Assert.Equal(paid, november.GetProperty("collected").GetInt64());
        Assert.Equal(paid - (paid * 70 / 100), november.GetProperty("retained").GetInt64());
        // October cannot be closed again, nor reopened by a second close.
        Assert.Equal("later_period_closed", (await Close(cell, "2026-10", HttpStatusCode.Conflict)).GetProperty("code").GetString());
        await _admin.AllChecksPass();
    }

    [Fact]
    public async Task QuarterlyOrganization_ClosesOnlyAtTheQuarterEnd_OverTheWholeQuarter()
    {
        var (cell, _, memberNo) = await app.AnotherCell(except: (await app.AnotherCell()).Cell);
        var set = await _office.PutAsJsonAsync($"/api/orgs/{cell}/close-cadence", new { cadence = "quarterly" });
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _office.PutAsJsonAsync($"/api/orgs/{cell}/close-cadence", new { cadence = "1" })).StatusCode);
        long paid = await app.PayAllOf(_admin, memberNo); // August to November

        Assert.Equal("not_a_close_period", (await Close(cell, "2026-08", HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString());
        var september = await Close(cell, "2026-09");
        // The third quarter's close takes August and September; October and November wait for December's close.
        var statements = await _admin.GetFromJsonAsync<JsonElement[]>($"/api/members/{memberNo}/statements");
        long augustToSeptember = statements!
            .Where(s => s.GetProperty("period").GetString() is "2026-08" or "2026-09").Sum(s => s.GetProperty("paid").GetInt64());
        Assert.Equal(augustToSeptember, september.GetProperty("collected").GetInt64());
        Assert.True(augustToSeptember < paid);
        Assert.Equal("not_a_close_period", (await Close(cell, "2026-11", HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString());
        await _admin.AllChecksPass();
    }

    [Fact]
    public async Task CancelledOrder_ReopensTheClose_AndTheCloseIsRedoneAsASecondRevision()
    {
        string cell = app.Demo.CellCode;
        long paid = await app.PayAllOf(_admin, app.Demo.CellMemberNo);
        var first = await Close(cell, "2026-11");
        long orderId = first.GetProperty("remittanceOrderId").GetInt64();

        Assert.Equal(HttpStatusCode.BadRequest,
            (await _office.PostAsJsonAsync($"/api/remittances/{orderId}/cancel", new { reason = "" })).StatusCode);
        var cancel = await _office.PostAsJsonAsync($"/api/remittances/{orderId}/cancel", new { reason = "Lập nhầm, khóa sổ lại" });
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await _office.GetFromJsonAsync<JsonElement>($"/api/remittances/{orderId}")).GetProperty("status").GetString());
        // A cancelled order stays cancelled.
        Assert.Equal(HttpStatusCode.Conflict, (await _office.PostAsync($"/api/remittances/{orderId}/instruct", null)).StatusCode);

        var second = await Close(cell, "2026-11");
        Assert.Equal(paid, second.GetProperty("collected").GetInt64());
        Assert.NotEqual(first.GetProperty("remittanceReference").GetString(), second.GetProperty("remittanceReference").GetString());
        await _admin.AllChecksPass();
    }
}

/// <summary>
/// The scheduled close: daily at 01:00 Vietnam time; before the auto-close day it does nothing, from it on it closes the
/// previous month for every organization, children first, and a second run changes nothing.
/// </summary>
public sealed class AutoCloseJobTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task DailyJob_ClosesThePreviousMonthEverywhere_FromTheAutoCloseDay_AndOnlyOnce()
    {
        using (var connection = app.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == CloseJobs.DailyJobId);
            Assert.Equal("0 1 * * *", job.Cron);
            Assert.Equal("Asia/Ho_Chi_Minh", job.TimeZoneId);
        }
        var admin = await app.Admin();
        Assert.True((await admin.PostAsync("/api/cycles/2026-11/generate", null)).IsSuccessStatusCode);
        await app.PayAllOf(admin, app.Demo.CellMemberNo);

        Task<Fees.Persistence.Closing.CascadeResult?> Run() =>
            app.WithScopeAsync(s => s.GetRequiredService<CloseJobs>().ClosePreviousMonth(CancellationToken.None));

        Assert.Null(await Run()); // 2 December: treasurers still have until the 10th
        app.Clock.Advance(TimeSpan.FromDays(8)); // 10 December
        admin = await app.Admin(); // yesterday's session has ended

        var first = (await Run())!;
        Assert.Equal("2026-11", first.Period);
        Assert.Empty(first.Refused);
        Assert.True(first.Closed > 10);
        foreach (string org in new[] { app.Demo.ProvinceCode, "TW" })
        {
            var response = await admin.GetAsync($"/api/orgs/{org}/periods/2026-11/close");
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, org + ": " + body);
            Assert.Equal("closed", JsonDocument.Parse(body).RootElement.GetProperty("close").GetProperty("status").GetString());
        }

        var second = (await Run())!;
        Assert.Equal((0, first.Closed), (second.Closed, second.AlreadyClosed));
        await admin.AllChecksPass();
    }
}

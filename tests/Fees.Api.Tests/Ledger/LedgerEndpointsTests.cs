using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Testing;

namespace Fees.Api.Tests.Ledger;

/// <summary>The ledger's endpoints answer within the caller's role and scope.</summary>
public sealed class LedgerEndpointsTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task TrialBalance_And_Journal_AreScoped()
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        Assert.Equal(HttpStatusCode.OK, (await treasurer.GetAsync($"/api/orgs/{app.Demo.CellCode}/trial-balance")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.GetAsync($"/api/orgs/{app.Demo.SiblingCellCode}/trial-balance")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.GetAsync($"/api/orgs/{app.Demo.CellCode}/journal?format=hledger")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.GetAsync("/api/audit/checks")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await treasurer.GetAsync($"/api/orgs/{app.Demo.CellCode}/trial-balance?asOf=15/08/2026")).StatusCode);

        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        var journal = await auditor.GetAsync($"/api/orgs/{app.Demo.CellCode}/journal?format=hledger");
        Assert.Equal(HttpStatusCode.OK, journal.StatusCode);
        Assert.Equal("text/plain", journal.Content.Headers.ContentType?.MediaType);
        var checks = await auditor.GetFromJsonAsync<JsonElement>($"/api/audit/checks?org={app.Demo.CommuneCommitteeCode}");
        Assert.NotEmpty(checks.GetProperty("checks").EnumerateArray());
    }
}

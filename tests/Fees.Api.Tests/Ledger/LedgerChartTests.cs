using System.Net.Http.Json;
using System.Text.Json;
using Fees.Testing;

namespace Fees.Api.Tests.Ledger;

/// <summary>Every organization has its chart of accounts from the day it is imported, with no rows stored for it.</summary>
public sealed class LedgerChartTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task ANewlyImportedOrganization_ShowsItsChartAtZero()
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        var tb = await treasurer.GetFromJsonAsync<JsonElement>($"/api/orgs/{app.Demo.CellCode}/trial-balance");
        var codes = tb.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("code").GetString()).ToList();
        Assert.Equal(["bank", "payable", "suspense"], codes);
        Assert.All(tb.GetProperty("accounts").EnumerateArray(), a => Assert.Equal(0, a.GetProperty("balance").GetInt64()));
        var names = tb.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToList();
        Assert.Contains("Tiền gửi ngân hàng", names);
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using Fees.Testing;
using Npgsql;

namespace Fees.Api.Tests.Ledger;

/// <summary>The audit checks see what the constraints cannot: rows tampered with by the database owner are named.</summary>
public sealed class AuditChecksTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task Checks_NameTheOffendingRows_WhenTheOwnerTampersWithTheBooks()
    {
        var cell = await app.Org(app.Demo.CellCode);
        var store = app.Store();
        await store.Post(LedgerTestData.Receipt(cell.Id, "FT-good-1", 60_000, 54_756));
        var bad = await store.Post(LedgerTestData.Receipt(cell.Id, "FT-bad-1", 50_000, 20_000));
        var admin = await app.Admin();
        Assert.All(await Checks(admin), c => Assert.True(c.GetProperty("passed").GetBoolean(), c.ToString()));

        await using (var conn = new NpgsqlConnection(app.Database.Owner))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"""
                alter table ledger_postings disable trigger ledger_postings_no_update_or_delete;
                update ledger_postings set amount = amount + 5 where entry_id = {bad.EntryId} and line_no = 1;
                alter table ledger_postings enable trigger ledger_postings_no_update_or_delete;
                update ledger_balances set debit = debit + 7 where org_id = {cell.Id} and account_type = 1;
                """, conn);
            await cmd.ExecuteNonQueryAsync();
        }

        var checks = (await Checks(admin)).ToDictionary(c => c.GetProperty("name").GetString()!);
        var balance = checks["entries-balance"];
        Assert.False(balance.GetProperty("passed").GetBoolean());
        Assert.Contains("bank-receipt:FT-bad-1", balance.GetProperty("violations").ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("FT-good-1", balance.GetProperty("violations").ToString(), StringComparison.Ordinal);
        Assert.False(checks["balances-match-postings"].GetProperty("passed").GetBoolean());
        Assert.Contains($"o{cell.Id}/1:0", checks["balances-match-postings"].GetProperty("violations").ToString(), StringComparison.Ordinal);
        Assert.False(checks["money-conserved"].GetProperty("passed").GetBoolean());
        Assert.True(checks["sources-unique"].GetProperty("passed").GetBoolean());

        // Another subtree's books are untouched: its checks pass.
        var sibling = (await admin.GetFromJsonAsync<JsonElement>($"/api/audit/checks?org={app.Demo.SiblingCellCode}")).GetProperty("checks");
        Assert.All(sibling.EnumerateArray(), c => Assert.True(c.GetProperty("passed").GetBoolean(), c.ToString()));
    }

    private static async Task<List<JsonElement>> Checks(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/audit/checks")).GetProperty("checks").EnumerateArray().ToList();
}

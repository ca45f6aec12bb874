using System.Net;
using System.Text.Json.Nodes;
using FakeBank.Tests.Infrastructure;

namespace FakeBank.Tests;

public class HistoryTests : IClassFixture<FakeBankFixture>, IAsyncLifetime
{
    private const string Account = "0071000123456";

    private readonly FakeBankFixture _bank;

    public HistoryTests(FakeBankFixture bank) => _bank = bank;

    public async Task InitializeAsync()
    {
        await _bank.ResetAsync();
        await _bank.AccountAsync("970436", Account, "DANG UY XA AN PHU", ["generic", "sepay", "casso"], openingBalance: 500_000);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task BookSevenAsync()
    {
        for (int i = 1; i <= 7; i++)
        {
            await _bank.TransferAsync(new
            {
                toBin = "970436",
                toAccount = Account,
                amount = i * 10_000,
                content = $"DP7K2QF9X{i} dang phi",
                direction = i == 4 ? "out" : "in",
                fromName = "NGUYEN VAN A",
                fromAccount = "0011001234567",
                fromBin = "970422",
            });
        }
        await _bank.WaitIdleAsync();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path, string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        var response = await _bank.Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<JsonNode> SePayAsync(string query)
    {
        var (status, body) = await GetAsync("userapi/transactions/list" + query, "Bearer " + Secrets.SePayApiToken);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    private async Task<JsonNode> CassoAsync(string query)
    {
        var (status, body) = await GetAsync("v2/transactions" + query, "Apikey " + Secrets.CassoApiKey);
        Assert.Equal(HttpStatusCode.OK, status);
        return body!;
    }

    [Fact]
    public async Task SePayHistory_PagesAscendingFromSinceId_AndAgreesWithTheWebhooks()
    {
        await BookSevenAsync();

        var rows = new List<JsonNode>();
        long? since = null;
        int calls = 0;
        while (true)
        {
            var page = await SePayAsync($"?account_number={Account}&limit=3" + (since is null ? "" : $"&since_id={since}"));
            Assert.Equal(200, (int)page["status"]!);
            Assert.True((bool)page["messages"]!["success"]!);
            var transactions = page["transactions"]!.AsArray();
            Assert.InRange(transactions.Count, 0, 3);
            calls++;
            if (transactions.Count == 0)
            {
                break;
            }
            rows.AddRange(transactions.Select(t => t!));
            since = long.Parse((string)transactions[^1]!["id"]!, System.Globalization.CultureInfo.InvariantCulture) + 1;
        }

        Assert.Equal(4, calls);
        Assert.Equal(7, rows.Count);
        var ids = rows.Select(r => long.Parse((string)r["id"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), ids);
        var webhooks = _bank.Receiver.To("sepay").Select(r => JsonNode.Parse(r.BodyText)!).OrderBy(w => (long)w["id"]!).ToList();
        Assert.Equal(7, webhooks.Count);
        for (int i = 0; i < 7; i++)
        {
            var row = rows[i];
            var hook = webhooks[i];
            Assert.Equal(hook["id"]!.ToJsonString(), (string)row["id"]!);
            Assert.Equal((string)hook["referenceCode"]!, (string)row["reference_number"]!);
            Assert.Equal((string)hook["content"]!, (string)row["transaction_content"]!);
            Assert.Equal((string)hook["transactionDate"]!, (string)row["transaction_date"]!);
            Assert.Equal($"{(long)hook["accumulated"]!}.00", (string)row["accumulated"]!);
            string amount = $"{(long)hook["transferAmount"]!}.00";
            Assert.Equal((string)hook["transferType"]! == "in" ? amount : "0.00", (string)row["amount_in"]!);
            Assert.Equal((string)hook["transferType"]! == "out" ? amount : "0.00", (string)row["amount_out"]!);
            Assert.Equal("Vietcombank", (string)row["bank_brand_name"]!);
            Assert.Equal(Account, (string)row["account_number"]!);
        }
        // 500,000 + 10k + 20k + 30k − 40k + 50k + 60k + 70k.
        Assert.Equal("700000.00", (string)rows[^1]["accumulated"]!);
        Assert.Equal("40000.00", (string)rows[3]["amount_out"]!);
    }

    [Fact]
    public async Task SePayHistory_FiltersByReferenceAccountAndDate()
    {
        await _bank.AccountAsync("970422", "0888382699", "CHI BO 3", ["sepay"]);
        var other = await _bank.TransferAsync(new { toBin = "970422", toAccount = "0888382699", amount = 5000, content = "x", bookedAt = "2026-08-09T16:59:59Z" });
        var mine = await _bank.TransferAsync(new { toBin = "970436", toAccount = Account, amount = 6000, content = "y", bookedAt = "2026-08-09T17:00:00Z" });

        Assert.Equal(2, (await SePayAsync(""))["transactions"]!.AsArray().Count);
        Assert.Equal((string)mine["bankReference"]!,
            (string)Assert.Single((await SePayAsync($"?account_number={Account}"))["transactions"]!.AsArray())!["reference_number"]!);
        Assert.Equal((string)other["bankReference"]!,
            (string)Assert.Single((await SePayAsync($"?reference_number={other["bankReference"]}"))["transactions"]!.AsArray())!["reference_number"]!);
        // 17:00 UTC on the 9th is midnight on the 10th in Vietnam.
        Assert.Equal((string)mine["bankReference"]!,
            (string)Assert.Single((await SePayAsync("?transaction_date_min=2026-08-10"))["transactions"]!.AsArray())!["reference_number"]!);
        Assert.Equal((string)other["bankReference"]!,
            (string)Assert.Single((await SePayAsync("?transaction_date_max=2026-08-09"))["transactions"]!.AsArray())!["reference_number"]!);
    }

    [Fact]
    public async Task CassoHistory_PagesWithTotals_AndAgreesWithTheWebhooks()
    {
        await BookSevenAsync();

        var first = (await CassoAsync("?page=1&pageSize=3&sort=ASC"))["data"]!;
        var last = (await CassoAsync("?page=3&pageSize=3&sort=ASC"))["data"]!;
        var all = new List<JsonNode>();
        for (int page = 1; page <= 3; page++)
        {
            all.AddRange((await CassoAsync($"?page={page}&pageSize=3&sort=ASC"))["data"]!["records"]!.AsArray().Select(r => r!));
        }

        Assert.Equal(7, (int)first["totalRecords"]!);
        Assert.Equal(3, (int)first["totalPages"]!);
        Assert.Equal(2, (int)first["nextPage"]!);
        Assert.Null(first["prevPage"]);
        Assert.Null(last["nextPage"]);
        Assert.Equal(2, (int)last["prevPage"]!);
        Assert.Single(last["records"]!.AsArray());
        var webhooks = _bank.Receiver.To("casso").Select(r => JsonNode.Parse(r.BodyText)!["data"]!).OrderBy(d => (long)d["id"]!).ToList();
        Assert.Equal(webhooks.Select(w => (long)w["id"]!), all.Select(r => (long)r["id"]!));
        Assert.Equal(webhooks.Select(w => (string)w["reference"]!), all.Select(r => (string)r["tid"]!));
        Assert.Equal(webhooks.Select(w => (long)w["amount"]!), all.Select(r => (long)r["amount"]!));
        Assert.Equal(webhooks.Select(w => (long)w["runningBalance"]!), all.Select(r => (long)r["cusumBalance"]!));
        Assert.Equal(webhooks.Select(w => (string)w["transactionDateTime"]!), all.Select(r => (string)r["when"]!));
        Assert.Equal(-40_000, (long)all[3]["amount"]!);
        Assert.All(all, r => Assert.Equal(Account, (string)r["bankSubAccId"]!));

        var descending = (await CassoAsync("?page=1&pageSize=10&sort=DESC"))["data"]!["records"]!.AsArray();
        Assert.Equal(all.Select(r => (long)r["id"]!).Reverse(), descending.Select(r => (long)r!["id"]!));
    }

    [Fact]
    public async Task CassoHistory_FiltersByVietnamDate()
    {
        var late = await _bank.TransferAsync(new { toBin = "970436", toAccount = Account, amount = 1000, content = "a", bookedAt = "2026-08-09T16:59:59Z" });
        var early = await _bank.TransferAsync(new { toBin = "970436", toAccount = Account, amount = 2000, content = "b", bookedAt = "2026-08-09T17:00:00Z" });

        var tenth = (await CassoAsync("?fromDate=2026-08-10&toDate=2026-08-10"))["data"]!["records"]!.AsArray();
        var ninth = (await CassoAsync("?fromDate=2026-08-09&toDate=2026-08-09"))["data"]!["records"]!.AsArray();

        Assert.Equal((long)early["ids"]!["casso"]!, (long)Assert.Single(tenth)!["id"]!);
        Assert.Equal("2026-08-10", (string)tenth[0]!["bookingDate"]!);
        Assert.Equal((long)late["ids"]!["casso"]!, (long)Assert.Single(ninth)!["id"]!);
    }

    [Fact]
    public async Task History_ListsOnlyAccountsTheProviderWatches()
    {
        await _bank.AccountAsync("970422", "0888382699", "CHI BO 3", ["sepay"]);
        await _bank.AccountAsync("970415", "0011002222333", "CHI BO 4", ["casso"]);
        await _bank.TransferAsync(new { toBin = "970422", toAccount = "0888382699", amount = 1000, content = "s" });
        await _bank.TransferAsync(new { toBin = "970415", toAccount = "0011002222333", amount = 2000, content = "c" });

        var sepay = (await SePayAsync(""))["transactions"]!.AsArray();
        var casso = (await CassoAsync(""))["data"]!["records"]!.AsArray();

        Assert.Equal("0888382699", (string)Assert.Single(sepay)!["account_number"]!);
        Assert.Equal("0011002222333", (string)Assert.Single(casso)!["bankSubAccId"]!);
    }

    [Theory]
    [InlineData("userapi/transactions/list", null)]
    [InlineData("userapi/transactions/list", "Bearer wrong-token")]
    [InlineData("userapi/transactions/list", "Apikey " + Secrets.SePayApiToken)]
    [InlineData("sepay/userapi/transactions/list", "Bearer " + Secrets.SePayApiToken + "x")]
    [InlineData("v2/transactions", null)]
    [InlineData("v2/transactions", "Apikey wrong-key")]
    [InlineData("v2/transactions", "Bearer " + Secrets.CassoApiKey)]
    [InlineData("casso/v2/transactions", "Apikey " + Secrets.CassoChecksumKey)]
    public async Task History_RefusesBadCredentials_With401(string path, string? authorization)
    {
        var (status, _) = await GetAsync(path, authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task History_IsAlsoServedUnderProviderPrefixes()
    {
        await _bank.TransferAsync(new { toBin = "970436", toAccount = Account, amount = 1000, content = "p", delivery = new { skipWebhook = true } });

        var (sepayStatus, sepay) = await GetAsync("sepay/userapi/transactions/list", "bearer " + Secrets.SePayApiToken);
        var (cassoStatus, casso) = await GetAsync("casso/v2/transactions", "apikey " + Secrets.CassoApiKey);

        Assert.Equal(HttpStatusCode.OK, sepayStatus);
        Assert.Single(sepay!["transactions"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, cassoStatus);
        Assert.Single(casso!["data"]!["records"]!.AsArray());
    }

    [Fact]
    public async Task HistoryFaultKnob_FailsTheNextCalls_ThenRecovers()
    {
        await _bank.ConfigureAsync(new { faults = new { historyFailNext = 2, historyFailStatus = 429 } });

        var (first, _) = await GetAsync("userapi/transactions/list", "Bearer " + Secrets.SePayApiToken);
        var (second, _) = await GetAsync("v2/transactions", "Apikey " + Secrets.CassoApiKey);
        var (third, _) = await GetAsync("v2/transactions", "Apikey " + Secrets.CassoApiKey);

        Assert.Equal(HttpStatusCode.TooManyRequests, first);
        Assert.Equal(HttpStatusCode.TooManyRequests, second);
        Assert.Equal(HttpStatusCode.OK, third);
    }

    [Theory]
    [InlineData("userapi/transactions/list?since_id=abc")]
    [InlineData("userapi/transactions/list?limit=0")]
    [InlineData("userapi/transactions/list?transaction_date_min=10/08/2026")]
    public async Task SePayHistory_RefusesBadParameters(string path)
    {
        var (status, _) = await GetAsync(path, "Bearer " + Secrets.SePayApiToken);

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Theory]
    [InlineData("v2/transactions?page=0")]
    [InlineData("v2/transactions?sort=UP")]
    [InlineData("v2/transactions?fromDate=2026-8-1")]
    public async Task CassoHistory_RefusesBadParameters(string path)
    {
        var (status, _) = await GetAsync(path, "Apikey " + Secrets.CassoApiKey);

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }
}

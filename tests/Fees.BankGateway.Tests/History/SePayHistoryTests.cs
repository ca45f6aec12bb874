using System.Net;
using System.Text.Json.Nodes;
using Fees.BankGateway.History;
using Fees.BankGateway.Providers;
using Fees.Domain.Amounts;

namespace Fees.BankGateway.Tests.History;

public class SePayHistoryTests
{
    private const string Token = "sepay-user-api-token";

    private static SePayHistoryOptions Options(int pageSize = 100) => new() { ApiToken = Token, PageSize = pageSize };

    private static string Page(Action<JsonObject>? change = null)
    {
        var root = JsonNode.Parse(StubHttp.Fixture("sepay-transactions.json"))!.AsObject();
        change?.Invoke(root);
        return root.ToJsonString();
    }

    private static JsonArray Rows(JsonObject root) => root["transactions"]!.AsArray();

    private static JsonObject Row(JsonObject root, long id) =>
        Rows(root).Select(r => r!.AsObject()).First(r => r["id"]!.GetValue<string>() == id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static async Task<(HistoryPage<SePayCursor> Page, StubHttp Stub)> Next(StubHttp stub, SePayCursor cursor, SePayHistoryOptions? options = null)
    {
        var history = new SePayHistory(stub.SePay(), options ?? Options());
        return (await history.NextAsync(cursor, CancellationToken.None), stub);
    }

    [Fact]
    public async Task NextAsync_SendsThePathQueryAndBearerToken()
    {
        var (_, stub) = await Next(StubHttp.Always(HttpStatusCode.OK, Page()), new SePayCursor { AccountNumber = "0071000962707", LastId = 49329 });
        var request = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("/userapi/transactions/list", request.Uri.AbsolutePath);
        Assert.Equal("?account_number=0071000962707&since_id=49329&limit=100", request.Uri.Query);
        Assert.Equal("Bearer " + Token, request.Authorization);
    }

    [Fact]
    public async Task NextAsync_KeepsEachDeliveredRowsJson_ExactlyAsTheResponseCarriedIt()
    {
        string body = StubHttp.Fixture("sepay-transactions.json");

        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, body), SePayCursor.Start("0071000962707"));

        Assert.NotEmpty(page.Transactions);
        Assert.Equal(page.Transactions.Count, page.RawRecords.Count);
        for (int i = 0; i < page.Transactions.Count; i++)
        {
            Assert.Contains(page.RawRecords[i], body, StringComparison.Ordinal);
            Assert.Equal(page.Transactions[i].TransactionId, JsonNode.Parse(page.RawRecords[i])!["id"]!.ToString());
        }
    }

    [Fact]
    public async Task NextAsync_LeavesOutSinceIdAtTheStartAndTheAccountWhenNone()
    {
        var (_, stub) = await Next(StubHttp.Always(HttpStatusCode.OK, Page()), SePayCursor.Start(null));
        Assert.Equal("?limit=100", stub.Requests[0].Uri.Query);
    }

    [Fact]
    public async Task NextAsync_KeepsThePathOfTheBaseAddress()
    {
        var stub = StubHttp.Always(HttpStatusCode.OK, Page());
        await new SePayHistory(stub.SePay("http://fake-bank.test/sepay/"), Options()).NextAsync(SePayCursor.Start(null), CancellationToken.None);
        Assert.Equal("/sepay/userapi/transactions/list", stub.Requests[0].Uri.AbsolutePath);
    }

    [Fact]
    public async Task NextAsync_MapsRowsAndAdvancesTheCursorToTheHighestId()
    {
        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, Page()), SePayCursor.Start("0071000962707"));

        Assert.Null(page.Failure);
        Assert.False(page.HasMore);
        Assert.Equal(new SePayCursor { AccountNumber = "0071000962707", LastId = 49331 }, page.Next);
        Assert.Collection(page.Transactions,
            t =>
            {
                Assert.Equal("sepay", t.Provider);
                Assert.Equal("49330", t.TransactionId);
                Assert.Equal("970436", t.BankBin);
                Assert.Equal("0071000962707", t.AccountNumber);
                Assert.Equal(TransferDirection.In, t.Direction);
                Assert.Equal(Money.Vnd(54756), t.Amount);
                Assert.Equal(Money.Vnd(19_077_000), t.RunningBalance);
                Assert.Equal("MBVCB.1457193831.DP7K2QF9XZ.Đảng phí tháng 8 Trịnh Minh Hồng", t.Content);
                Assert.Equal("MBVCB.1457193831", t.BankReference);
                Assert.Equal(new DateTimeOffset(2026, 9, 5, 14, 2, 37, TimeSpan.FromHours(7)), t.BookedAt);
            },
            t =>
            {
                Assert.Equal("49331", t.TransactionId);
                Assert.Equal(TransferDirection.Out, t.Direction);
                Assert.Equal(Money.Vnd(11000), t.Amount);
            });
    }

    [Fact]
    public async Task NextAsync_AcceptsNumericIdsAndAmounts()
    {
        string body = Page(root =>
        {
            var row = Row(root, 49330);
            row["id"] = 49330;
            row["amount_in"] = 54756;
            row["accumulated"] = -5000;
        });
        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, body), SePayCursor.Start(null));
        Assert.Null(page.Failure);
        Assert.Equal(Money.Vnd(54756), page.Transactions[0].Amount);
        Assert.Equal(Money.Vnd(-5000), page.Transactions[0].RunningBalance);
    }

    [Fact]
    public async Task NextAsync_DropsRowsAtOrBelowTheCursor()
    {
        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, Page()), SePayCursor.Start(null) with { LastId = 49330 });
        Assert.Equal("49331", Assert.Single(page.Transactions).TransactionId);
        Assert.Equal(49331, page.Next.LastId);
    }

    [Fact]
    public async Task NextAsync_KeepsTheCursor_WhenNothingIsNew()
    {
        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, Page(root => Rows(root).Clear())), SePayCursor.Start(null) with { LastId = 49331 });
        Assert.Empty(page.Transactions);
        Assert.Equal(49331, page.Next.LastId);
        Assert.False(page.HasMore);
        Assert.Null(page.Failure);
    }

    [Fact]
    public async Task NextAsync_DeliversAShortPageInAscendingIdOrder()
    {
        string body = Page(root =>
        {
            var rows = Rows(root).Select(r => r!.DeepClone()).Reverse().ToArray();
            root["transactions"] = new JsonArray(rows);
        });
        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, body), SePayCursor.Start(null));
        Assert.Equal(["49330", "49331"], page.Transactions.Select(t => t.TransactionId));
    }

    [Fact]
    public async Task NextAsync_SaysThereIsMore_WhenThePageIsFull()
    {
        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, Page()), SePayCursor.Start(null), Options(pageSize: 2));
        Assert.True(page.HasMore);
        Assert.Equal(49331, page.Next.LastId);
    }

    [Fact]
    public async Task NextAsync_RefusesAFullPageOutOfOrder_WithoutMovingTheCursor()
    {
        string body = Page(root => root["transactions"] = new JsonArray(Rows(root).Select(r => r!.DeepClone()).Reverse().ToArray()));
        var cursor = SePayCursor.Start(null) with { LastId = 40000 };
        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, body), cursor, Options(pageSize: 2));
        Assert.Equal(HistoryFailureKind.UnexpectedOrder, page.Failure?.Kind);
        Assert.Empty(page.Transactions);
        Assert.Equal(cursor, page.Next);
    }

    [Fact]
    public async Task NextAsync_RefusesAFullPageWithNothingAfterTheCursor_SoAPollerCannotLoop()
    {
        var cursor = SePayCursor.Start(null) with { LastId = 49331 };
        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, Page()), cursor, Options(pageSize: 2));
        Assert.Equal(HistoryFailureKind.UnexpectedOrder, page.Failure?.Kind);
        Assert.False(page.HasMore);
        Assert.Equal(cursor, page.Next);
    }

    [Fact]
    public async Task NextAsync_StopsBeforeABadRow_AndNamesIt()
    {
        string body = Page(root => Row(root, 49331)["amount_out"] = "11000.50");
        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, body), SePayCursor.Start(null));

        Assert.Equal(HistoryFailureKind.InvalidTransaction, page.Failure?.Kind);
        Assert.Equal("49330", Assert.Single(page.Transactions).TransactionId);
        Assert.Equal(49330, page.Next.LastId);
        Assert.False(page.HasMore);
        var error = Assert.Single(page.Failure!.FieldErrors);
        Assert.Equal("$.transactions[1].amount_out", error.Path);
        Assert.Equal(FieldErrorCodes.NotInteger, error.Code);
    }

    [Fact]
    public async Task NextAsync_RefusesARowWithBothAmounts()
    {
        string body = Page(root => Row(root, 49330)["amount_out"] = "1.00");
        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, body), SePayCursor.Start(null));
        Assert.Equal("$.transactions[0].amount_in", Assert.Single(page.Failure!.FieldErrors).Path);
        Assert.Empty(page.Transactions);
        Assert.Equal(0, page.Next.LastId);
    }

    [Fact]
    public async Task NextAsync_DeliversNothing_WhenAnIdIsUnreadable()
    {
        string body = Page(root => Row(root, 49331)["id"] = "49-331");
        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, body), SePayCursor.Start(null));
        Assert.Equal(HistoryFailureKind.InvalidTransaction, page.Failure?.Kind);
        Assert.Equal("$.transactions[1].id", page.Failure!.FieldErrors[0].Path);
        Assert.Empty(page.Transactions);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, HistoryFailureKind.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden, HistoryFailureKind.Unauthorized)]
    [InlineData(HttpStatusCode.TooManyRequests, HistoryFailureKind.RateLimited)]
    [InlineData(HttpStatusCode.BadRequest, HistoryFailureKind.Rejected)]
    [InlineData(HttpStatusCode.NotFound, HistoryFailureKind.Rejected)]
    [InlineData(HttpStatusCode.InternalServerError, HistoryFailureKind.ProviderUnavailable)]
    [InlineData(HttpStatusCode.BadGateway, HistoryFailureKind.ProviderUnavailable)]
    public async Task NextAsync_TranslatesAnErrorStatus(HttpStatusCode status, HistoryFailureKind kind)
    {
        var cursor = SePayCursor.Start(null) with { LastId = 7 };
        var (page, _) = await Next(StubHttp.Always(status, "{\"error\":\"x\"}"), cursor);
        Assert.Equal(kind, page.Failure?.Kind);
        Assert.Equal((int)status, page.Failure!.StatusCode);
        Assert.Equal(cursor, page.Next);
        Assert.Empty(page.Transactions);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"status\":200,\"transactions\":\"x\"}")]
    [InlineData("{\"status\":200}")]
    public async Task NextAsync_ReportsAMalformedResponse(string body)
    {
        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, body), SePayCursor.Start(null));
        Assert.Equal(HistoryFailureKind.MalformedResponse, page.Failure?.Kind);
    }

    [Theory]
    [InlineData("{\"status\":401,\"error\":\"unauthorized\",\"messages\":{\"success\":false},\"transactions\":[]}")]
    [InlineData("{\"status\":200,\"messages\":{\"success\":false},\"transactions\":[]}")]
    public async Task NextAsync_ReportsAnErrorTheBodyAnnounces(string body)
    {
        var (page, _) = await Next(StubHttp.Always(HttpStatusCode.OK, body), SePayCursor.Start(null));
        Assert.Equal(HistoryFailureKind.ProviderError, page.Failure?.Kind);
    }

    [Fact]
    public async Task NextAsync_ReportsUnreachable_WhenTheNetworkFails()
    {
        var stub = new StubHttp((_, _) => throw new HttpRequestException("connection refused"));
        var (page, _) = await Next(stub, SePayCursor.Start(null));
        Assert.Equal(HistoryFailureKind.Unreachable, page.Failure?.Kind);
        Assert.Null(page.Failure!.StatusCode);
    }

    [Fact]
    public async Task NextAsync_SendsNothing_WithoutAToken()
    {
        var stub = StubHttp.Always(HttpStatusCode.OK, Page());
        var (page, _) = await Next(stub, SePayCursor.Start(null), new SePayHistoryOptions { ApiToken = " " });
        Assert.Equal(HistoryFailureKind.NotConfigured, page.Failure?.Kind);
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public void Cursor_RefusesANegativeLastId() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SePayCursor.Start(null) with { LastId = -1 });
}

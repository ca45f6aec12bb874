using System.Net;
using System.Text.Json.Nodes;
using System.Web;
using Fees.BankGateway.History;
using Fees.BankGateway.Providers;
using Fees.Domain.Amounts;

namespace Fees.BankGateway.Tests.History;

public class CassoHistoryTests
{
    private const string ApiKey = "casso-api-key";
    private static readonly DateOnly Day = new(2026, 9, 4);

    /// <summary>14:10 on 5 September in Vietnam: the 4th ended 14 h ago and has settled (default delay 3 h).</summary>
    private static readonly DateTimeOffset NextAfternoon = new(2026, 9, 5, 7, 10, 0, TimeSpan.Zero);

    /// <summary>21:00 on the 4th in Vietnam: the day is still going.</summary>
    private static readonly DateTimeOffset SameEvening = new(2026, 9, 4, 14, 0, 0, TimeSpan.Zero);

    /// <summary>01:30 on the 5th in Vietnam: the 4th has ended but not yet settled.</summary>
    private static readonly DateTimeOffset AfterMidnight = new(2026, 9, 4, 18, 30, 0, TimeSpan.Zero);

    private static CassoHistoryOptions Options() => new() { ApiKey = ApiKey, PageSize = 2 };

    private static JsonObject Fixture(int page) => JsonNode.Parse(StubHttp.Fixture($"casso-transactions-page{page}.json"))!.AsObject();

    /// <summary>Answers each request with the page its <c>page</c> query asks for, from <paramref name="pages"/>.</summary>
    private static StubHttp Serving(Func<int, JsonObject> pages) =>
        new((request, _) =>
        {
            int page = int.Parse(HttpUtility.ParseQueryString(request.RequestUri!.Query)["page"]!, System.Globalization.CultureInfo.InvariantCulture);
            return StubHttp.Json(HttpStatusCode.OK, pages(page).ToJsonString());
        });

    private static CassoHistory History(StubHttp stub, CassoHistoryOptions? options = null) => new(stub.Casso(), options ?? Options());

    [Fact]
    public async Task NextAsync_SendsThePathQueryAndApikey()
    {
        var stub = Serving(Fixture);
        await History(stub).NextAsync(CassoCursor.Start(Day), NextAfternoon, CancellationToken.None);
        var request = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("/v2/transactions", request.Uri.AbsolutePath);
        Assert.Equal("?fromDate=2026-09-04&toDate=2026-09-04&page=1&pageSize=2&sort=ASC", request.Uri.Query);
        Assert.Equal("Apikey " + ApiKey, request.Authorization);
    }

    [Fact]
    public async Task NextAsync_KeepsEachDeliveredRecordsJson_ExactlyAsTheResponseCarriedIt()
    {
        string body = StubHttp.Fixture("casso-transactions-page1.json");

        var page = await History(StubHttp.Always(HttpStatusCode.OK, body)).NextAsync(CassoCursor.Start(Day), NextAfternoon, CancellationToken.None);

        Assert.NotEmpty(page.Transactions);
        Assert.Equal(page.Transactions.Count, page.RawRecords.Count);
        for (int i = 0; i < page.Transactions.Count; i++)
        {
            Assert.Contains(page.RawRecords[i], body, StringComparison.Ordinal);
            Assert.Equal(page.Transactions[i].TransactionId, JsonNode.Parse(page.RawRecords[i])!["id"]!.ToString());
        }
    }

    [Fact]
    public async Task NextAsync_WalksASettledDayPageByPage_ThenMovesToTheNextDay()
    {
        var history = History(Serving(Fixture));

        var first = await history.NextAsync(CassoCursor.Start(Day), NextAfternoon, CancellationToken.None);
        Assert.Null(first.Failure);
        Assert.True(first.HasMore);
        Assert.Equal(new CassoCursor { Date = Day, Page = 2, FinalPass = true, SeenIds = [1984601, 1984602] }, first.Next);
        Assert.Collection(first.Transactions,
            t =>
            {
                Assert.Equal("casso", t.Provider);
                Assert.Equal("1984601", t.TransactionId);
                Assert.Equal("FT26247000111111", t.BankReference);
                Assert.Equal("970436", t.BankBin);
                Assert.Equal(TransferDirection.In, t.Direction);
                Assert.Equal(Money.Vnd(54756), t.Amount);
                Assert.Equal("DP7K2QF9XZ Đảng phí tháng 8 Trịnh Minh Hồng", t.Content);
                Assert.Equal(new DateTimeOffset(2026, 9, 4, 8, 15, 0, TimeSpan.FromHours(7)), t.BookedAt);
                Assert.Equal("TRINH MINH HONG", t.CounterpartyName);
                Assert.Equal(Money.Vnd(25_054_756), t.RunningBalance);
                Assert.Null(t.SubAccount);
            },
            t =>
            {
                Assert.Equal(TransferDirection.Out, t.Direction);
                Assert.Equal(Money.Vnd(11000), t.Amount);
                Assert.Null(t.CounterpartyName);
            });

        // A new instance: the cursor alone is enough to resume (as after a restart).
        var second = await History(Serving(Fixture)).NextAsync(first.Next, NextAfternoon, CancellationToken.None);
        Assert.Equal("1984603", Assert.Single(second.Transactions).TransactionId);
        Assert.Equal("1903****5678", second.Transactions[0].CounterpartyAccount);
        Assert.Equal(CassoCursor.Start(Day.AddDays(1)), second.Next);
        Assert.True(second.HasMore);
    }

    [Fact]
    public async Task NextAsync_RereadsAnOpenDayFromPageOne_DeliveringOnlyNewRecords()
    {
        var pages = new Dictionary<int, JsonObject> { [1] = Fixture(1), [2] = Fixture(2) };
        var history = History(Serving(p => pages[p]));

        var first = await history.NextAsync(CassoCursor.Start(Day), SameEvening, CancellationToken.None);
        var second = await history.NextAsync(first.Next, SameEvening, CancellationToken.None);
        Assert.Equal(3, first.Transactions.Count + second.Transactions.Count);
        Assert.False(second.HasMore);
        Assert.Equal(new CassoCursor { Date = Day, Page = 1, FinalPass = false, SeenIds = [1984601, 1984602, 1984603] }, second.Next);

        // A late booking lands on page 2.
        var late = pages[2]["data"]!["records"]![0]!.DeepClone().AsObject();
        late["id"] = 1984604;
        late["amount"] = 200000;
        pages[2]["data"]!["records"]!.AsArray().Add(late);

        var third = await history.NextAsync(second.Next, SameEvening, CancellationToken.None);
        var fourth = await history.NextAsync(third.Next, SameEvening, CancellationToken.None);
        Assert.Empty(third.Transactions);
        Assert.Equal("1984604", Assert.Single(fourth.Transactions).TransactionId);
        Assert.Equal(Day, fourth.Next.Date);
    }

    [Fact]
    public async Task NextAsync_LeavesADayOnlyAfterAFullPassThatBeganOnceItSettled()
    {
        var history = History(Serving(Fixture));

        var first = await history.NextAsync(CassoCursor.Start(Day), AfterMidnight, CancellationToken.None);
        var second = await history.NextAsync(first.Next, AfterMidnight, CancellationToken.None);
        Assert.False(first.Next.FinalPass);
        Assert.Equal(Day, second.Next.Date);
        Assert.False(second.HasMore);

        // The day has settled by the next poll: one more full pass, delivering nothing twice, then the 5th.
        var third = await history.NextAsync(second.Next, NextAfternoon, CancellationToken.None);
        Assert.True(third.Next.FinalPass);
        var fourth = await history.NextAsync(third.Next, NextAfternoon, CancellationToken.None);
        Assert.Empty(third.Transactions.Concat(fourth.Transactions));
        Assert.Equal(CassoCursor.Start(Day.AddDays(1)), fourth.Next);
    }

    [Fact]
    public async Task NextAsync_DoesNotAskForAFutureDay()
    {
        var stub = Serving(Fixture);
        var cursor = CassoCursor.Start(new DateOnly(2026, 9, 6));
        var page = await History(stub).NextAsync(cursor, NextAfternoon, CancellationToken.None);
        Assert.Empty(stub.Requests);
        Assert.Equal(cursor, page.Next);
        Assert.False(page.HasMore);
        Assert.Null(page.Failure);
    }

    [Fact]
    public async Task NextAsync_SkipsOtherAccounts_ButMarksThemSeen()
    {
        var options = Options();
        options.Accounts.Add("0071000962707");
        var pages = Fixture(1);
        pages["data"]!["records"]![1]!["bankSubAccId"] = "1234567890";
        var page = await History(Serving(_ => pages), options).NextAsync(CassoCursor.Start(Day), NextAfternoon, CancellationToken.None);
        Assert.Equal("1984601", Assert.Single(page.Transactions).TransactionId);
        Assert.Equal([1984601L, 1984602L], page.Next.SeenIds);
    }

    [Fact]
    public async Task NextAsync_StopsBeforeABadRecord_AndRereadsThatPageNextTime()
    {
        var bad = Fixture(1);
        bad["data"]!["records"]![1]!["amount"] = "-11000";
        var page = await History(Serving(_ => bad)).NextAsync(CassoCursor.Start(Day), NextAfternoon, CancellationToken.None);

        Assert.Equal(HistoryFailureKind.InvalidTransaction, page.Failure?.Kind);
        Assert.Equal("1984601", Assert.Single(page.Transactions).TransactionId);
        Assert.Equal(new CassoCursor { Date = Day, Page = 1, FinalPass = true, SeenIds = [1984601] }, page.Next);
        var error = Assert.Single(page.Failure!.FieldErrors);
        Assert.Equal("$.data.records[1].amount", error.Path);
        Assert.Equal(FieldErrorCodes.WrongType, error.Code);
    }

    [Fact]
    public async Task NextAsync_ReportsTheErrorCasso_Announces()
    {
        var stub = StubHttp.Always(HttpStatusCode.OK, "{\"error\":401,\"message\":\"Unauthorized\",\"data\":null}");
        var cursor = CassoCursor.Start(Day);
        var page = await History(stub).NextAsync(cursor, NextAfternoon, CancellationToken.None);
        Assert.Equal(HistoryFailureKind.ProviderError, page.Failure?.Kind);
        Assert.Equal(cursor, page.Next);
    }

    [Fact]
    public async Task NextAsync_ReportsAMalformedResponse_WithoutRecords()
    {
        var page = await History(StubHttp.Always(HttpStatusCode.OK, "{\"error\":0,\"data\":{}}")).NextAsync(CassoCursor.Start(Day), NextAfternoon, CancellationToken.None);
        Assert.Equal(HistoryFailureKind.MalformedResponse, page.Failure?.Kind);
    }

    [Fact]
    public async Task NextAsync_TreatsAFullPageAsMaybeMore_WhenTotalPagesIsAbsent()
    {
        var pages = new Dictionary<int, JsonObject> { [1] = Fixture(1), [2] = Fixture(2) };
        pages[1]["data"]!.AsObject().Remove("totalPages");
        pages[2]["data"]!.AsObject().Remove("totalPages");
        var history = History(Serving(p => pages[p]));
        var first = await history.NextAsync(CassoCursor.Start(Day), NextAfternoon, CancellationToken.None);
        Assert.Equal(2, first.Next.Page);
        var second = await history.NextAsync(first.Next, NextAfternoon, CancellationToken.None);
        Assert.Equal(CassoCursor.Start(Day.AddDays(1)), second.Next);
    }

    [Fact]
    public async Task NextAsync_SendsNothing_WithoutAnApiKey()
    {
        var stub = Serving(Fixture);
        var page = await History(stub, new CassoHistoryOptions()).NextAsync(CassoCursor.Start(Day), NextAfternoon, CancellationToken.None);
        Assert.Equal(HistoryFailureKind.NotConfigured, page.Failure?.Kind);
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public void Cursor_ComparesSeenIdsAsASet() =>
        Assert.Equal(new CassoCursor { Date = Day, Page = 1, SeenIds = [3, 1, 2, 3] }, new CassoCursor { Date = Day, Page = 1, SeenIds = [1, 2, 3] });

    [Fact]
    public void Cursor_RefusesPageZero() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CassoCursor.Start(Day) with { Page = 0 });
}

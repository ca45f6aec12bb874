using System.Net;
using System.Text.Json.Nodes;
using FakeBank.Tests.Infrastructure;

namespace FakeBank.Tests;

public class ControlApiTests : IClassFixture<FakeBankFixture>, IAsyncLifetime
{
    private const string Account = "0071000123456";

    private readonly FakeBankFixture _bank;

    public ControlApiTests(FakeBankFixture bank) => _bank = bank;

    public async Task InitializeAsync()
    {
        await _bank.ResetAsync();
        await _bank.AccountAsync("970436", Account, "DANG UY XA AN PHU", ["generic", "sepay", "casso"], openingBalance: 100_000);
    }

    public async Task DisposeAsync() =>
        await _bank.ConfigureAsync(new { clock = new { frozen = false, now = await _bank.NowAsync() } });

    private Task<JsonNode> BookAsync(long amount, string direction = "in") => _bank.TransferAsync(new
    {
        toBin = "970436",
        toAccount = Account,
        amount,
        direction,
        content = "x",
        delivery = new { skipWebhook = true },
    });

    [Fact]
    public async Task RunningBalance_FollowsEveryTransfer_InAndOut()
    {
        var first = await BookAsync(50_000);
        var second = await BookAsync(30_000, "out");
        var third = await BookAsync(200_000, "out");

        Assert.Equal(150_000, (long)first["balanceAfter"]!);
        Assert.Equal(120_000, (long)second["balanceAfter"]!);
        Assert.Equal(-30_000, (long)second["signedAmount"]!);
        // Overdrafts are allowed, so outgoing transfers need no set-up.
        Assert.Equal(-80_000, (long)third["balanceAfter"]!);
        var account = Assert.Single((await _bank.GetJsonAsync("control/accounts")).AsArray())!;
        Assert.Equal(-80_000, (long)account["balance"]!);
        Assert.Equal(100_000, (long)account["openingBalance"]!);
    }

    [Fact]
    public async Task PostingAnAccountAgain_UpdatesItsWatchers_AndKeepsItsBalance()
    {
        await BookAsync(1_000);

        var (status, body) = await _bank.PostAsync("control/accounts", new { bin = "970436", accountNumber = Account, accountName = "DANG UY XA AN PHU", providers = new[] { "casso" }, openingBalance = 5 });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(101_000, (long)body!["balance"]!);
        Assert.Equal(["casso"], body["providers"]!.AsArray().Select(p => (string)p!));
    }

    [Fact]
    public async Task Reset_ForgetsEverything_ButIdsKeepCounting()
    {
        var before = await BookAsync(1_000);

        (await _bank.Http.PostAsync("control/reset", null)).EnsureSuccessStatusCode();
        await _bank.AccountAsync("970436", Account, "DANG UY XA AN PHU", ["sepay"]);
        var after = await BookAsync(1_000);

        Assert.True((long)after["sequence"]! > (long)before["sequence"]!);
        Assert.NotEqual((string)before["bankReference"]!, (string)after["bankReference"]!);
        Assert.Single((await _bank.GetJsonAsync("control/transfers")).AsArray());
        Assert.Equal(1_000, (long)after["balanceAfter"]!);
    }

    [Fact]
    public async Task BankClock_CanBeMovedAndFrozen_AndDatesTheReference()
    {
        await _bank.ConfigureAsync(new { clock = new { now = "2026-08-15T03:00:00Z", frozen = true } });

        var transfer = await BookAsync(1_000);

        Assert.Equal("2026-08-15T03:00:00+00:00", (string)transfer["bookedAt"]!);
        Assert.Equal("2026-08-15T10:00:00+07:00", (string)transfer["bookedAtVietnam"]!);
        // FT, yy, day of the year in Vietnam (15 August = 227), nine digits.
        Assert.StartsWith("FT26227", (string)transfer["bankReference"]!, StringComparison.Ordinal);
        var status = await _bank.GetJsonAsync("control/status");
        Assert.True((bool)status["clock"]!["frozen"]!);
    }

    [Fact]
    public async Task ClockAdvance_MovesTheBankClockWithIt_SoTransfersAreBookedAtTheControlledTime()
    {
        var before = await _bank.NowAsync();

        await _bank.AdvanceAsync(TimeSpan.FromSeconds(90));
        var transfer = await BookAsync(1_000);

        var clock = await _bank.ClockAsync();
        Assert.True((bool)clock["manual"]!);
        Assert.Equal(before.AddSeconds(90), FakeBankFixture.Instant(clock["now"]));
        Assert.Equal(before.AddSeconds(90), FakeBankFixture.Instant(transfer["bookedAt"]));
    }

    [Theory]
    [InlineData("""{"seconds":0}""")]
    [InlineData("""{"seconds":-5}""")]
    [InlineData("""{"seconds":2678401}""")]
    [InlineData("""{}""")]
    [InlineData("""{"seconds":"5"}""")]
    [InlineData("""{"second":5}""")]
    public async Task ClockAdvance_OutOfRangeOrMalformed_Is400_AndMovesNothing(string body)
    {
        var before = await _bank.NowAsync();

        var (status, problem) = await _bank.PostAsync("control/clock/advance", JsonNode.Parse(body)!);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains((string)problem!["code"]!, new[] { "invalid_advance", "malformed_request" });
        Assert.Equal(before, await _bank.NowAsync());
    }

    [Fact]
    public async Task Status_CountsWhatTheBankHolds()
    {
        await BookAsync(1_000);

        var status = await _bank.GetJsonAsync("control/status");

        Assert.Equal(1, (int)status["accounts"]!);
        Assert.Equal(1, (int)status["transactions"]!);
        Assert.Equal(0, (int)status["pendingDeliveries"]!);
    }

    [Fact]
    public async Task UnknownAccount_Is404()
    {
        var (status, body) = await _bank.PostAsync("control/transfers", new { toBin = "970436", toAccount = "999", amount = 1000, content = "x" });

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("unknown_account", (string)body!["code"]!);
    }

    public static TheoryData<string, string> BadTransfers => new()
    {
        { """{"toBin":"97043","toAccount":"0071000123456","amount":1000}""", "invalid_bin" },
        { """{"toBin":"970436","toAccount":"","amount":1000}""", "invalid_account_number" },
        { """{"toBin":"970436","toAccount":"0071000123456","amount":0}""", "invalid_amount" },
        { """{"toBin":"970436","toAccount":"0071000123456"}""", "invalid_amount" },
        { """{"toBin":"970436","toAccount":"0071000123456","amount":1000,"direction":"sideways"}""", "invalid_direction" },
        { """{"toBin":"970436","toAccount":"0071000123456","amount":1000,"fromBin":"abc"}""", "invalid_bin" },
        { """{"toBin":"970436","toAccount":"0071000123456","amount":1000,"delivery":{"providers":["payos"]}}""", "invalid_delivery" },
        { """{"toBin":"970436","toAccount":"0071000123456","amount":1000,"delivery":{"copies":0}}""", "invalid_delivery" },
        { """{"toBin":"970436","toAccount":"0071000123456","amount":1000,"delivery":{"failMode":"explode"}}""", "invalid_delivery" },
        { """{"toBin":"970436","toAccount":"0071000123456","amount":1000,"delivery":{"retries":3}}""", "malformed_request" },
        { """{"toBin":"970436","toAccount":"0071000123456","amount":"1000"}""", "malformed_request" },
        { """{"toBin":"970436","toAccount":"0071000123456","amount":10.5}""", "malformed_request" },
    };

    [Theory]
    [MemberData(nameof(BadTransfers))]
    public async Task BadTransfers_Are400_AndBookNothing(string transfer, string code)
    {
        var (status, body) = await _bank.PostAsync("control/transfers", JsonNode.Parse(transfer)!);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, (string)body!["code"]!);
        Assert.Empty((await _bank.GetJsonAsync("control/transfers")).AsArray());
    }

    [Fact]
    public async Task DeliveryToAProviderNotWatching_Is400()
    {
        await _bank.AccountAsync("970422", "0888382699", "CHI BO 3", ["sepay"]);

        var (status, body) = await _bank.PostAsync("control/transfers", new { toBin = "970422", toAccount = "0888382699", amount = 1000, delivery = new { providers = new[] { "casso" } } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_delivery", (string)body!["code"]!);
    }

    [Theory]
    [InlineData("""{"retryScale":0}""")]
    [InlineData("""{"providers":{"payos":{"url":"http://127.0.0.1:1/"}}}""")]
    [InlineData("""{"providers":{"sepay":{"authMode":"oauth"}}}""")]
    [InlineData("""{"providers":{"generic":{"url":"ftp://127.0.0.1/"}}}""")]
    [InlineData("""{"providers":{"casso":{"retryGapsMinutes":[1,-2]}}}""")]
    [InlineData("""{"faults":{"webhookFailMode":"sometimes"}}""")]
    [InlineData("""{"faults":{"historyFailStatus":200}}""")]
    [InlineData("""{"retryScal":1}""")]
    public async Task BadConfig_Is400_AndChangesNothing(string patch)
    {
        var before = (await _bank.GetJsonAsync("control/config")).ToJsonString();

        var (status, _) = await _bank.PostAsync("control/config", JsonNode.Parse(patch)!);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var after = await _bank.GetJsonAsync("control/config");
        after["clock"] = null;
        var expected = JsonNode.Parse(before)!;
        expected["clock"] = null;
        Assert.Equal(expected.ToJsonString(), after.ToJsonString());
    }

    [Fact]
    public async Task Config_ShowsWhatWasSet()
    {
        await _bank.ConfigureAsync(new { retryScale = 0.5, providers = new { sepay = new { authMode = "both" } } });

        var config = await _bank.GetJsonAsync("control/config");

        Assert.Equal(0.5, (double)config["retryScale"]!);
        Assert.Equal("both", (string)config["providers"]!["sepay"]!["authMode"]!);
        Assert.Equal(Secrets.SePayApiKey, (string)config["providers"]!["sepay"]!["apiKey"]!);
        Assert.Equal(new[] { 1.0, 2, 4, 8, 16 }, config["providers"]!["casso"]!["retryGapsMinutes"]!.AsArray().Select(g => (double)g!));
    }

    [Fact]
    public async Task HomePage_ShowsAccountsAndTransactions_InVietnamese()
    {
        await _bank.TransferAsync(new { toBin = "970436", toAccount = Account, amount = 1_234_567, content = "DP7K2QF9XA <b>đảng phí</b>", rewrite = new { preset = "interbank-to-vcb" } });
        await _bank.WaitIdleAsync();

        var response = await _bank.Http.GetAsync("/");
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<title>Ngân hàng giả lập</title>", html, StringComparison.Ordinal);
        Assert.Contains("Tài khoản", html, StringComparison.Ordinal);
        Assert.Contains("Giao dịch gần đây", html, StringComparison.Ordinal);
        Assert.Contains("DANG UY XA AN PHU", html, StringComparison.Ordinal);
        Assert.Contains("1.334.567 ₫", html, StringComparison.Ordinal);
        Assert.Contains("+1.234.567 ₫", html, StringComparison.Ordinal);
        Assert.Contains("đã nhận", html, StringComparison.Ordinal);
        // Contents are shown as text, never as markup.
        Assert.Contains("&lt;b&gt;đảng phí&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>đảng phí</b>", html, StringComparison.Ordinal);
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using FakeBank.Tests.Infrastructure;

namespace FakeBank.Tests;

public class DeliveryTests : IClassFixture<FakeBankFixture>, IAsyncLifetime
{
    private const string Bin = "970436";
    private const string Account = "0071000123456";

    private readonly FakeBankFixture _bank;

    public DeliveryTests(FakeBankFixture bank) => _bank = bank;

    private WebhookReceiver Receiver => _bank.Receiver;

    public async Task InitializeAsync()
    {
        await _bank.ResetAsync();
        await _bank.AccountAsync(Bin, Account, "DANG UY XA AN PHU", ["generic", "sepay", "casso"], openingBalance: 1_000_000);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<JsonNode> TransferAsync(object? delivery = null, string content = "DP7K2QF9XA dang phi T8", long amount = 54_756) =>
        _bank.TransferAsync(new
        {
            toBin = Bin,
            toAccount = Account,
            amount,
            content,
            fromName = "NGUYEN VAN DUC",
            fromAccount = "0011001234567",
            fromBin = "970415",
            delivery,
        });

    [Fact]
    public async Task Transfer_IsDeliveredOncePerWatchingProvider()
    {
        var transfer = await TransferAsync();

        await _bank.WaitIdleAsync();
        Assert.Equal(3, Receiver.Requests.Count);
        Assert.Single(Receiver.To("generic"));
        Assert.Single(Receiver.To("sepay"));
        Assert.Single(Receiver.To("casso"));
        var chains = (await _bank.GetJsonAsync($"control/transfers/{transfer["bankReference"]}"))["deliveries"]!.AsArray();
        Assert.All(chains, c => Assert.Equal("delivered", (string)c!["state"]!));
    }

    [Fact]
    public async Task GenericWebhook_CarriesTheTransaction_SignedOverTheRawBody()
    {
        var transfer = await TransferAsync();

        await _bank.WaitIdleAsync();
        var request = Assert.Single(Receiver.To("generic"));
        Assert.Equal(IndependentSigner.Generic(Secrets.Generic, request.Body), request.Header("X-Fees-Signature"));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        var body = JsonNode.Parse(request.BodyText)!;
        Assert.Equal((string)transfer["ids"]!["generic"]!, (string)body["transactionId"]!);
        Assert.Equal(Bin, (string)body["bankBin"]!);
        Assert.Equal(Account, (string)body["accountNumber"]!);
        Assert.Equal(54_756, (long)body["amount"]!);
        Assert.Equal("DP7K2QF9XA dang phi T8", (string)body["content"]!);
        Assert.Equal("NGUYEN VAN DUC", (string)body["counterpartyName"]!);
        Assert.Equal("0011001234567", (string)body["counterpartyAccount"]!);
        Assert.Equal((string)transfer["bankReference"]!, (string)body["bankReference"]!);
        Assert.Equal("in", (string)body["direction"]!);
        Assert.Equal(1_054_756, (long)body["runningBalance"]!);
        var bookedAt = DateTimeOffset.Parse((string)body["bookedAt"]!, CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromHours(7), bookedAt.Offset);
        Assert.Equal(DateTimeOffset.Parse((string)transfer["bookedAt"]!, CultureInfo.InvariantCulture).ToUnixTimeSeconds(), bookedAt.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task GenericWebhook_OfAnOutgoingTransfer_HasANegativeAmount()
    {
        await _bank.TransferAsync(new { toBin = Bin, toAccount = Account, amount = 200_000, content = "nop cap tren", direction = "out", delivery = new { providers = new[] { "generic" } } });

        await _bank.WaitIdleAsync();
        var body = JsonNode.Parse(Assert.Single(Receiver.To("generic")).BodyText)!;
        Assert.Equal(-200_000, (long)body["amount"]!);
        Assert.Equal("out", (string)body["direction"]!);
        Assert.Equal(800_000, (long)body["runningBalance"]!);
    }

    [Fact]
    public async Task SePayWebhook_InApiKeyMode_SendsTheKeyAndTheDocumentedBody()
    {
        var transfer = await TransferAsync();

        await _bank.WaitIdleAsync();
        var request = Assert.Single(Receiver.To("sepay"));
        Assert.Equal("Apikey " + Secrets.SePayApiKey, request.Header("Authorization"));
        Assert.Null(request.Header("X-SePay-Signature"));
        var body = JsonNode.Parse(request.BodyText)!.AsObject();
        Assert.Equal(
            ["id", "gateway", "transactionDate", "accountNumber", "code", "content", "transferType", "transferAmount", "accumulated", "subAccount", "referenceCode", "description"],
            body.Select(p => p.Key));
        Assert.Equal((long)transfer["ids"]!["sepay"]!, (long)body["id"]!);
        Assert.Equal("Vietcombank", (string)body["gateway"]!);
        Assert.Equal(VietnamWall(transfer), (string)body["transactionDate"]!);
        Assert.Equal("in", (string)body["transferType"]!);
        Assert.Equal(54_756, (long)body["transferAmount"]!);
        Assert.Equal(1_054_756, (long)body["accumulated"]!);
        Assert.Null(body["code"]);
        Assert.Null(body["subAccount"]);
        Assert.Equal((string)transfer["bankReference"]!, (string)body["referenceCode"]!);
        Assert.Equal("BankAPINotify DP7K2QF9XA dang phi T8", (string)body["description"]!);
    }

    [Fact]
    public async Task SePayWebhook_InHmacMode_SignsTimestampDotRawBody()
    {
        await _bank.ConfigureAsync(new { providers = new { sepay = new { authMode = "hmac" } } });
        await _bank.AdvanceAsync(TimeSpan.FromSeconds(7));
        var now = await _bank.NowAsync();

        await TransferAsync();

        await _bank.WaitIdleAsync();
        var request = Assert.Single(Receiver.To("sepay"));
        Assert.Null(request.Header("Authorization"));
        string timestamp = request.Header("X-SePay-Timestamp")!;
        // Stamped with the bank clock at the attempt: the controlled clock's now, to the second.
        Assert.Equal(now.ToUnixTimeSeconds(), long.Parse(timestamp, CultureInfo.InvariantCulture));
        Assert.Equal(IndependentSigner.SePay(Secrets.SePayHmac, timestamp, request.Body), request.Header("X-SePay-Signature"));
    }

    [Fact]
    public async Task SePayWebhook_ReportsTheConfiguredPaymentCode()
    {
        await _bank.ConfigureAsync(new { providers = new { sepay = new { codePrefixes = new[] { "DP", "DT" } } } });

        await TransferAsync(content: "Dong dang phi dp7k2qf9xa thang 8");

        await _bank.WaitIdleAsync();
        var body = JsonNode.Parse(Assert.Single(Receiver.To("sepay")).BodyText)!;
        Assert.Equal("DP7K2QF9XA", (string)body["code"]!);
    }

    [Fact]
    public async Task CassoWebhook_IsSignedOverTheWholeSortedBody_WithVietnameseLettersAsThemselves()
    {
        await _bank.AdvanceAsync(TimeSpan.FromMilliseconds(1_234));
        var now = await _bank.NowAsync();

        var transfer = await TransferAsync(content: "DP7K2QF9XA Đảng phí tháng 8 \"quý\" \\ /");

        await _bank.WaitIdleAsync();
        var request = Assert.Single(Receiver.To("casso"));
        var (t, v1) = IndependentSigner.ParseCassoHeader(request.Header("X-Casso-Signature")!);
        Assert.Equal(IndependentSigner.CassoV1(Secrets.CassoChecksumKey, t, request.BodyText), v1);
        // t is the bank clock at the attempt in milliseconds: the controlled clock's now exactly.
        Assert.Equal(now.ToUnixTimeMilliseconds(), IndependentSigner.UnixMilliseconds(t));
        Assert.Contains("Đảng phí", request.BodyText, StringComparison.Ordinal);
        var body = JsonNode.Parse(request.BodyText)!;
        Assert.Equal(0, (int)body["error"]!);
        var data = body["data"]!;
        Assert.Equal((long)transfer["ids"]!["casso"]!, (long)data["id"]!);
        Assert.Equal((string)transfer["bankReference"]!, (string)data["reference"]!);
        Assert.Equal("DP7K2QF9XA Đảng phí tháng 8 \"quý\" \\ /", (string)data["description"]!);
        Assert.Equal(54_756, (long)data["amount"]!);
        Assert.Equal(1_054_756, (long)data["runningBalance"]!);
        Assert.Equal(VietnamWall(transfer), (string)data["transactionDateTime"]!);
        Assert.Equal("Vietcombank", (string)data["bankName"]!);
        Assert.Equal("VCB", (string)data["bankAbbreviation"]!);
        Assert.Equal("NGUYEN VAN DUC", (string)data["counterAccountName"]!);
        Assert.Equal("0011001234567", (string)data["counterAccountNumber"]!);
        Assert.Equal("970415", (string)data["counterAccountBankId"]!);
        Assert.Equal("VietinBank", (string)data["counterAccountBankName"]!);
    }

    [Fact]
    public async Task TransferIds_DifferPerProvider_AndShareTheBankReference()
    {
        var transfer = await TransferAsync();

        await _bank.WaitIdleAsync();
        string reference = (string)transfer["bankReference"]!;
        Assert.Matches("^FT[0-9]{14}$", reference);
        var ids = new[]
        {
            (string)JsonNode.Parse(Receiver.To("generic")[0].BodyText)!["transactionId"]!,
            JsonNode.Parse(Receiver.To("sepay")[0].BodyText)!["id"]!.ToJsonString(),
            JsonNode.Parse(Receiver.To("casso")[0].BodyText)!["data"]!["id"]!.ToJsonString(),
        };
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal(reference, (string)JsonNode.Parse(Receiver.To("sepay")[0].BodyText)!["referenceCode"]!);
        Assert.Equal(reference, (string)JsonNode.Parse(Receiver.To("casso")[0].BodyText)!["data"]!["reference"]!);
    }

    [Fact]
    public async Task Transfer_IsNotDelivered_ByProvidersThatDoNotWatchTheAccount()
    {
        await _bank.AccountAsync("970422", "0888382699", "CHI BO 3", ["sepay"]);

        await _bank.TransferAsync(new { toBin = "970422", toAccount = "0888382699", amount = 10_000, content = "DT2345678A" });

        await _bank.WaitIdleAsync();
        Assert.Equal(["sepay"], Receiver.Requests.Select(r => r.Path));
        Assert.Equal("MBBank", (string)JsonNode.Parse(Receiver.Requests[0].BodyText)!["gateway"]!);
    }

    [Fact]
    public async Task DeliveryProviders_RestrictWhoSends()
    {
        await TransferAsync(new { providers = new[] { "casso" } });

        await _bank.WaitIdleAsync();
        Assert.Equal(["casso"], Receiver.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task Receiver500Twice_GetsTheThirdAttempt_OnTheScaledSchedule()
    {
        Receiver.Answer("sepay", 500, 500);

        var transfer = await TransferAsync(new { providers = new[] { "sepay" } });

        await _bank.WaitIdleAsync();
        Assert.Equal(3, Receiver.To("sepay").Count);
        var attempts = await _bank.DeliveriesAsync("?provider=sepay");
        Assert.Equal([1, 2, 3], attempts.Select(a => (int)a!["attempt"]!));
        Assert.Equal(["failed", "failed", "delivered"], attempts.Select(a => (string)a!["outcome"]!));
        Assert.Equal([500, 500, 200], attempts.Select(a => (int)a!["statusCode"]!));
        Assert.All(attempts, a => Assert.Equal(transfer["ids"]!["sepay"]!.ToJsonString(), (string)a!["transactionId"]!));
        // SePay waits 1 then 1 minute: 60 ms each at scale 0.001, on the manual clock.
        AssertGaps(attempts, [1, 1]);
        Assert.Single(Receiver.To("sepay").Select(r => r.BodyText).Distinct());
    }

    [Fact]
    public async Task ReceiverAlwaysFailing_SePayGivesUpAfterEightAttempts_WithFibonacciGaps()
    {
        Receiver.AlwaysAnswer("sepay", 503);

        var transfer = await TransferAsync(new { providers = new[] { "sepay" } });

        await _bank.WaitIdleAsync();
        var attempts = await _bank.DeliveriesAsync("?provider=sepay");
        Assert.Equal(Enumerable.Range(1, 8), attempts.Select(a => (int)a!["attempt"]!));
        Assert.All(attempts, a => Assert.Equal("failed", (string)a!["outcome"]!));
        AssertGaps(attempts, [1, 1, 2, 3, 5, 8, 13]);
        var chain = (await _bank.GetJsonAsync($"control/transfers/{transfer["bankReference"]}"))["deliveries"]![0]!;
        Assert.Equal("gaveUp", (string)chain["state"]!);
        Assert.Equal(8, (int)chain["attempts"]!);
    }

    [Fact]
    public async Task ReceiverAlwaysFailing_CassoGivesUpAfterSixAttempts_WithDoublingGaps()
    {
        Receiver.AlwaysAnswer("casso", 500);

        await TransferAsync(new { providers = new[] { "casso" } });

        await _bank.WaitIdleAsync();
        var attempts = await _bank.DeliveriesAsync("?provider=casso");
        Assert.Equal(Enumerable.Range(1, 6), attempts.Select(a => (int)a!["attempt"]!));
        AssertGaps(attempts, [1, 2, 4, 8, 16]);
        // A retry is a new signature (new t) over the same body.
        Assert.Equal(6, Receiver.To("casso").Select(r => r.Header("X-Casso-Signature")).Distinct().Count());
        Assert.Single(Receiver.To("casso").Select(r => r.BodyText).Distinct());
    }

    [Fact]
    public async Task GenericRetryGaps_FollowTheConfiguration()
    {
        await _bank.ConfigureAsync(new { providers = new { generic = new { retryGapsMinutes = new[] { 2, 2 } } } });
        Receiver.AlwaysAnswer("generic", 500);

        await TransferAsync(new { providers = new[] { "generic" } });

        await _bank.WaitIdleAsync();
        var attempts = await _bank.DeliveriesAsync("?provider=generic");
        Assert.Equal(3, attempts.Count);
        AssertGaps(attempts, [2, 2]);
    }

    [Fact]
    public async Task ASlowReceiver_TimesOut_AndTheNextAttemptDelivers()
    {
        await _bank.ConfigureAsync(new { providers = new { generic = new { timeoutSeconds = 1 } } });
        Receiver.HoldFirst("generic", TimeSpan.FromSeconds(5));

        await TransferAsync(new { providers = new[] { "generic" } });

        await _bank.WaitIdleAsync();
        var attempts = await _bank.DeliveriesAsync("?provider=generic");
        // On a saturated machine an answer that is immediate can still miss a 1 s timeout; then a third attempt
        // delivers. What must hold: the held attempt timed out, every failure is a timeout, the last one delivered.
        Assert.True(attempts.Count >= 2, attempts.ToJsonString());
        Assert.All(attempts.SkipLast(1), a =>
        {
            Assert.Equal("failed", (string)a!["outcome"]!);
            Assert.Null(a["statusCode"]);
            Assert.StartsWith("timeout after 1 s", (string)a["error"]!, StringComparison.Ordinal);
        });
        Assert.Equal("delivered", (string)attempts[^1]!["outcome"]!);
    }

    [Fact]
    public async Task FailFirst_Drop_NeverReachesTheReceiver()
    {
        await TransferAsync(new { providers = new[] { "generic" }, failFirst = 2 });

        await _bank.WaitIdleAsync();
        Assert.Single(Receiver.To("generic"));
        var attempts = await _bank.DeliveriesAsync("?provider=generic");
        Assert.Equal(["dropped", "dropped", "delivered"], attempts.Select(a => (string)a!["outcome"]!));
        AssertGaps(attempts, [1, 1]);
    }

    [Fact]
    public async Task FailFirst_IgnoreResponse_ReachesTheReceiverEveryTime()
    {
        await TransferAsync(new { providers = new[] { "sepay" }, failFirst = 1, failMode = "ignoreResponse" });

        await _bank.WaitIdleAsync();
        var received = Receiver.To("sepay");
        Assert.Equal(2, received.Count);
        Assert.Equal(received[0].BodyText, received[1].BodyText);
        var attempts = await _bank.DeliveriesAsync("?provider=sepay");
        Assert.Equal(["ignored", "delivered"], attempts.Select(a => (string)a!["outcome"]!));
        Assert.Equal(200, (int)attempts[0]!["statusCode"]!);
    }

    [Fact]
    public async Task FailFirst_FromTheFaultSettings_AppliesToEveryTransfer()
    {
        await _bank.ConfigureAsync(new { faults = new { webhookFailFirst = 1 } });

        await TransferAsync(new { providers = new[] { "generic", "casso" } });

        await _bank.WaitIdleAsync();
        Assert.Equal(2, (await _bank.DeliveriesAsync("?outcome=dropped")).Count);
        Assert.Equal(2, Receiver.Requests.Count);
    }

    [Fact]
    public async Task Copies_OneAfterAnother_SendTheSameTransactionTwice()
    {
        Receiver.Hold("generic", TimeSpan.FromMilliseconds(300));

        await TransferAsync(new { providers = new[] { "generic" }, copies = 2 });

        await _bank.WaitIdleAsync();
        var received = Receiver.To("generic");
        Assert.Equal(2, received.Count);
        Assert.Equal(received[0].BodyText, received[1].BodyText);
        Assert.Equal(received[0].Header("X-Fees-Signature"), received[1].Header("X-Fees-Signature"));
        var attempts = await _bank.DeliveriesAsync("?provider=generic");
        Assert.Equal([1, 2], attempts.Select(a => (int)a!["copy"]!));
        // The second copy leaves only once the first has its answer: each answer is held, and never two were open at once.
        Assert.Equal(1, Receiver.MaxInFlight);
    }

    [Fact]
    public async Task Copies_Concurrent_ArriveAtTheSameTime()
    {
        Receiver.Hold("generic", TimeSpan.FromSeconds(2));

        await TransferAsync(new { providers = new[] { "generic" }, copies = 4, concurrent = true });

        await _bank.WaitIdleAsync();
        Assert.Equal(4, Receiver.To("generic").Count);
        Assert.Equal(4, Receiver.MaxInFlight);
        Assert.Single(Receiver.To("generic").Select(r => r.BodyText).Distinct());
    }

    [Fact]
    public async Task SkipWebhook_SendsNothing_ButTheHistoryListsIt()
    {
        var transfer = await TransferAsync(new { skipWebhook = true });

        await _bank.WaitIdleAsync();
        Assert.Empty(Receiver.Requests);
        Assert.Empty(await _bank.DeliveriesAsync());
        using var request = new HttpRequestMessage(HttpMethod.Get, "userapi/transactions/list");
        request.Headers.Add("Authorization", "Bearer " + Secrets.SePayApiToken);
        var history = JsonNode.Parse(await (await _bank.Http.SendAsync(request)).Content.ReadAsStringAsync())!;
        Assert.Equal(transfer["ids"]!["sepay"]!.ToJsonString(), (string)history["transactions"]![0]!["id"]!);
    }

    [Fact]
    public async Task DelayMs_HoldsTheFirstAttempt()
    {
        var before = await _bank.NowAsync();

        await TransferAsync(new { providers = new[] { "generic" }, delayMs = 400 });

        await _bank.WaitForTimersAsync(1);
        Assert.Equal(before.AddMilliseconds(400), FakeBankFixture.Instant((await _bank.ClockAsync())["nextDueAt"]));
        await _bank.AdvanceAsync(TimeSpan.FromMilliseconds(399));
        Assert.Equal(1, (int)(await _bank.ClockAsync())["timers"]!);
        Assert.Empty(Receiver.To("generic"));
        await _bank.AdvanceAsync(TimeSpan.FromMilliseconds(1));
        await _bank.WaitIdleAsync();
        Assert.Single(Receiver.To("generic"));
        var attempt = Assert.Single(await _bank.DeliveriesAsync("?provider=generic"))!;
        Assert.Equal(before.AddMilliseconds(400), FakeBankFixture.Instant(attempt["startedAt"]));
    }

    [Fact]
    public async Task ARetry_WaitsForTheManualClock_AndLeavesExactlyWhenItsGapHasElapsed()
    {
        Receiver.Answer("sepay", 500);
        await TransferAsync(new { providers = new[] { "sepay" } });
        await Eventually.Async(async () => (await _bank.DeliveriesAsync("?provider=sepay")).Count == 1);
        await _bank.WaitForTimersAsync(1);
        var first = FakeBankFixture.Instant((await _bank.DeliveriesAsync("?provider=sepay"))[0]!["startedAt"]);
        var gap = TimeSpan.FromMinutes(1 * FakeBankFixture.RetryScale);

        await _bank.AdvanceAsync(gap - TimeSpan.FromTicks(1));

        Assert.Equal(1, (int)(await _bank.ClockAsync())["timers"]!);
        Assert.Single(await _bank.DeliveriesAsync("?provider=sepay"));
        Assert.Single(Receiver.To("sepay"));

        await _bank.AdvanceAsync(TimeSpan.FromTicks(1));

        await Eventually.Async(async () => (await _bank.DeliveriesAsync("?provider=sepay")).Count == 2);
        var second = (await _bank.DeliveriesAsync("?provider=sepay"))[1]!;
        Assert.Equal("delivered", (string)second["outcome"]!);
        Assert.Equal(first + gap, FakeBankFixture.Instant(second["startedAt"]));
    }

    [Fact]
    public async Task AProviderWithoutATarget_SendsNothing_AndSaysSo()
    {
        await _bank.ConfigureAsync(new { providers = new { casso = new { url = "" } } });

        var transfer = await TransferAsync();

        await _bank.WaitIdleAsync();
        Assert.DoesNotContain(Receiver.Requests, r => r.Path == "casso");
        var casso = transfer["deliveries"]!.AsArray().Single(c => (string)c!["provider"]! == "casso")!;
        Assert.Equal("noTarget", (string)casso["state"]!);
    }

    [Fact]
    public async Task Reset_AbandonsRetriesStillWaiting()
    {
        await _bank.ConfigureAsync(new { retryScale = 1.0 });
        Receiver.AlwaysAnswer("generic", 500);
        await TransferAsync(new { providers = new[] { "generic" } });
        await Eventually.That(() => Receiver.To("generic").Count == 1);
        await _bank.WaitForTimersAsync(1);

        (await _bank.Http.PostAsync("control/reset", null)).EnsureSuccessStatusCode();

        await _bank.WaitIdleAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, (int)(await _bank.ClockAsync())["timers"]!);
        await _bank.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Single(Receiver.To("generic"));
    }

    /// <summary>Each gap (end of one attempt to the start of the next, on the manual clock) is exactly the scaled minutes.</summary>
    private static void AssertGaps(JsonArray attempts, double[] minutes)
    {
        Assert.Equal(minutes.Length + 1, attempts.Count);
        for (int i = 0; i < minutes.Length; i++)
        {
            var previous = attempts[i]!;
            var next = attempts[i + 1]!;
            var previousEnd = DateTimeOffset.Parse((string)previous["startedAt"]!, CultureInfo.InvariantCulture)
                .AddMilliseconds((double)previous["durationMs"]!);
            var nextStart = DateTimeOffset.Parse((string)next["startedAt"]!, CultureInfo.InvariantCulture);
            double gapMs = (nextStart - previousEnd).TotalMilliseconds;
            double expectedMs = minutes[i] * 60_000 * FakeBankFixture.RetryScale;
            // WaitIdleAsync advances the manual clock to each retry's due instant and no further, so a retry scheduled
            // early or late shows here as a gap off by that much (the tolerance is a thousandth of a millisecond).
            Assert.Equal(expectedMs, gapMs, tolerance: 0.001);
        }
    }

    private static string VietnamWall(JsonNode transfer) =>
        DateTimeOffset.Parse((string)transfer["bookedAt"]!, CultureInfo.InvariantCulture)
            .ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}

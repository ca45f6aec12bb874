using System.Text;
using System.Text.Json.Nodes;
using Fees.BankGateway.Providers;
using Fees.Domain.Amounts;
using static Fees.BankGateway.Tests.Providers.Webhooks;

namespace Fees.BankGateway.Tests.Providers;

public class CassoWebhookAdapterTests
{
    private const string ChecksumKey = "casso-checksum-key-0d4e";
    private const string SecureToken = "casso-legacy-token-91aa";
    private static readonly CassoWebhookAdapter Both = new(new CassoProviderOptions { ChecksumKey = ChecksumKey, SecureToken = SecureToken });
    private static readonly CassoWebhookAdapter V2Only = new(new CassoProviderOptions { ChecksumKey = ChecksumKey });
    private static readonly CassoWebhookAdapter LegacyOnly = new(new CassoProviderOptions { SecureToken = SecureToken });

    private static WebhookRequest Signed(byte[] body, DateTimeOffset signedAt, string key = ChecksumKey) =>
        Request(body, (CassoSignature.HeaderName, CassoSignature.Sign(key, signedAt.ToUnixTimeMilliseconds(), body)));

    [Fact]
    public void Sign_MatchesAnIndependentComputationOfTheFixture()
    {
        // Python: hmac(sha512, key, t + "." + json.dumps(whole body, sort_keys=True, separators=(',', ':'), ensure_ascii=False)).
        Assert.Equal(
            "t=1788592200000,v1=2710e5017c4e3603f2bdccd7d83b90e7aeb8bb3ca021d6c5128f9be3d8d7d70b1ec8109481a9870744e150e39d20c4c5c1460ec52adaa6e27089b1a6ccfabb60",
            CassoSignature.Sign(ChecksumKey, Now.ToUnixTimeMilliseconds(), Fixture("casso-v2.json")));
    }

    [Fact]
    public void Verify_ReturnsVerified_ForTheSignedV2Fixture() =>
        Assert.Equal(WebhookVerificationStatus.Verified, V2Only.Verify(Signed(Fixture("casso-v2.json"), Now), Now).Status);

    [Fact]
    public void Verify_ReturnsVerified_WhenTheBodyIsReformattedButTheDataIsTheSame()
    {
        // The signature is over the body's canonical form, not the bytes: indentation, key order and \u escapes do not matter.
        byte[] body = Fixture("casso-v2.json");
        var signed = Signed(body, Now);
        var data = JsonNode.Parse(body)!["data"]!.AsObject();
        var reordered = new JsonObject(data.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        byte[] compact = Encoding.UTF8.GetBytes(new JsonObject { ["data"] = reordered, ["error"] = 0 }.ToJsonString());
        Assert.Contains("\\u", Encoding.UTF8.GetString(compact), StringComparison.Ordinal);
        Assert.Equal(WebhookVerificationStatus.Verified, V2Only.Verify(new WebhookRequest(compact, signed.Headers), Now).Status);
    }

    [Fact]
    public void Verify_ReturnsBadSignature_WhenOneByteOfTheDataChanges()
    {
        byte[] body = Fixture("casso-v2.json");
        var signed = Signed(body, Now);
        int at = Encoding.UTF8.GetString(body).IndexOf("54756", StringComparison.Ordinal);
        Assert.Equal(WebhookVerificationStatus.BadSignature, V2Only.Verify(new WebhookRequest(FlipByte(body, at), signed.Headers), Now).Status);
    }

    [Fact]
    public void Verify_ReturnsBadSignature_WhenSignedWithAnotherKey() =>
        Assert.Equal(WebhookVerificationStatus.BadSignature, V2Only.Verify(Signed(Fixture("casso-v2.json"), Now, "another"), Now).Status);

    [Fact]
    public void Verify_ReturnsBadSignature_WhenTheTimestampIsChanged()
    {
        string header = CassoSignature.Sign(ChecksumKey, Now.ToUnixTimeMilliseconds(), Fixture("casso-v2.json"));
        string moved = header.Replace("t=1788592200000", "t=1788592200001", StringComparison.Ordinal);
        Assert.Equal(WebhookVerificationStatus.BadSignature, V2Only.Verify(Request(Fixture("casso-v2.json"), (CassoSignature.HeaderName, moved)), Now).Status);
    }

    [Fact]
    public void Verify_ReturnsStale_WhenTimestampIsSixMinutesOld() =>
        Assert.Equal(WebhookVerificationStatus.Stale, V2Only.Verify(Signed(Fixture("casso-v2.json"), Now.AddMinutes(-6)), Now).Status);

    [Fact]
    public void Verify_ReturnsStale_WhenTimestampIsSixMinutesAhead() =>
        Assert.Equal(WebhookVerificationStatus.Stale, V2Only.Verify(Signed(Fixture("casso-v2.json"), Now.AddMinutes(6)), Now).Status);

    [Fact]
    public void Verify_ReturnsVerified_WhenTimestampIsExactlyFiveMinutesOld() =>
        Assert.Equal(WebhookVerificationStatus.Verified, V2Only.Verify(Signed(Fixture("casso-v2.json"), Now.AddMinutes(-5)), Now).Status);

    [Fact]
    public void Verify_ReadsTheTimestampAsMilliseconds()
    {
        // Seconds in t would be 1970: stale by decades, not silently accepted.
        byte[] body = Fixture("casso-v2.json");
        var request = Request(body, (CassoSignature.HeaderName, CassoSignature.Sign(ChecksumKey, Now.ToUnixTimeSeconds(), body)));
        Assert.Equal(WebhookVerificationStatus.Stale, V2Only.Verify(request, Now).Status);
    }

    [Fact]
    public void Verify_AcceptsAnyOfSeveralV1Entries()
    {
        byte[] body = Fixture("casso-v2.json");
        string header = CassoSignature.Sign(ChecksumKey, Now.ToUnixTimeMilliseconds(), body);
        string other = CassoSignature.Sign("old-key", Now.ToUnixTimeMilliseconds(), body);
        string both = other + ", " + header[(header.IndexOf(',', StringComparison.Ordinal) + 1)..];
        Assert.Equal(WebhookVerificationStatus.Verified, V2Only.Verify(Request(body, (CassoSignature.HeaderName, both)), Now).Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("t=1788592200000")]
    [InlineData("v1=00")]
    [InlineData("t=abc,v1=00")]
    [InlineData("t=1,t=2,v1=00")]
    [InlineData("garbage")]
    public void Verify_ReturnsBadSignature_WhenTheHeaderIsMalformed(string header) =>
        Assert.Equal(WebhookVerificationStatus.BadSignature, V2Only.Verify(Request(Fixture("casso-v2.json"), (CassoSignature.HeaderName, header)), Now).Status);

    [Fact]
    public void Verify_ReturnsBadSignature_WhenTheBodyIsNotJson()
    {
        string header = CassoSignature.Sign(ChecksumKey, Now.ToUnixTimeMilliseconds(), Fixture("casso-v2.json"));
        Assert.Equal(WebhookVerificationStatus.BadSignature, V2Only.Verify(Request("{\"data\":"u8.ToArray(), (CassoSignature.HeaderName, header)), Now).Status);
    }

    [Fact]
    public void Verify_ReturnsMissing_WhenNoHeaderIsPresent() =>
        Assert.Equal(WebhookVerificationStatus.Missing, Both.Verify(Request(Fixture("casso-v2.json")), Now).Status);

    [Fact]
    public void Verify_ReturnsVerified_ForTheLegacyToken() =>
        Assert.Equal(WebhookVerificationStatus.Verified, LegacyOnly.Verify(Request(Fixture("casso-legacy.json"), ("secure-token", SecureToken)), Now).Status);

    [Fact]
    public void Verify_ReturnsBadSignature_ForAWrongLegacyToken() =>
        Assert.Equal(WebhookVerificationStatus.BadSignature, LegacyOnly.Verify(Request(Fixture("casso-legacy.json"), (CassoSignature.LegacyTokenHeader, SecureToken[..^1])), Now).Status);

    [Fact]
    public void Verify_ReturnsMissing_ForTheLegacyTokenWhenOnlyV2IsConfigured() =>
        Assert.Equal(WebhookVerificationStatus.Missing, V2Only.Verify(Request(Fixture("casso-legacy.json"), (CassoSignature.LegacyTokenHeader, SecureToken)), Now).Status);

    [Fact]
    public void Verify_ReturnsMissing_ForAV2SignatureWhenOnlyTheLegacyTokenIsConfigured() =>
        Assert.Equal(WebhookVerificationStatus.Missing, LegacyOnly.Verify(Signed(Fixture("casso-v2.json"), Now), Now).Status);

    [Fact]
    public void Verify_ReturnsMissing_WhenTheProviderIsDisabled()
    {
        var disabled = new CassoWebhookAdapter(new CassoProviderOptions());
        Assert.False(disabled.IsEnabled);
        Assert.Equal(WebhookVerificationStatus.Missing, disabled.Verify(Request(Fixture("casso-legacy.json"), (CassoSignature.LegacyTokenHeader, "")), Now).Status);
        Assert.Equal(WebhookVerificationStatus.Missing, disabled.Verify(Signed(Fixture("casso-v2.json"), Now), Now).Status);
    }

    [Fact]
    public void Parse_ReadsTheV2Transaction()
    {
        var t = Single(Both.Parse(Fixture("casso-v2.json")));
        Assert.Equal("casso", t.Provider);
        Assert.Equal("1984623", t.TransactionId);
        Assert.Equal("FT26248000123456", t.BankReference);
        Assert.Equal("970436", t.BankBin);
        Assert.Equal("0071000962707", t.AccountNumber);
        Assert.Null(t.SubAccount);
        Assert.Equal(TransferDirection.In, t.Direction);
        Assert.Equal(Money.Vnd(54756), t.Amount);
        Assert.Equal("DP7K2QF9XZ Đảng phí tháng 8 Trịnh Minh Hồng", t.Content);
        Assert.Equal(new DateTimeOffset(2026, 9, 5, 14, 3, 10, TimeSpan.FromHours(7)), t.BookedAt);
        Assert.Equal("TRINH MINH HONG", t.CounterpartyName);
        Assert.Equal("0291000285902", t.CounterpartyAccount);
        Assert.Equal(Money.Vnd(25_054_756), t.RunningBalance);
    }

    [Fact]
    public void Parse_ReadsTheLegacyBatch_InAndOut()
    {
        var parse = Both.Parse(Fixture("casso-legacy.json"));
        Assert.True(parse.IsValid, parse.ToString());
        Assert.Collection(parse.Transactions,
            t =>
            {
                Assert.Equal("2567592", t.TransactionId);
                Assert.Equal("TF230402150412", t.BankReference);
                Assert.Equal(TransferDirection.In, t.Direction);
                Assert.Equal(Money.Vnd(54756), t.Amount);
                Assert.Equal(Money.Vnd(250_054_756), t.RunningBalance);
                Assert.Equal(new DateTimeOffset(2026, 9, 5, 14, 3, 12, TimeSpan.FromHours(7)), t.BookedAt);
                Assert.Null(t.BankBin);
            },
            t =>
            {
                Assert.Equal("2567593", t.TransactionId);
                Assert.Equal(TransferDirection.Out, t.Direction);
                Assert.Equal(Money.Vnd(11000), t.Amount);
                Assert.Equal("Phí quản lý tài khoản", t.Content);
            });
    }

    [Fact]
    public void Parse_AcceptsAnEmptyLegacyBatch() => Assert.Empty(Both.Parse("{\"error\":0,\"data\":[]}"u8).Transactions);

    [Fact]
    public void Parse_NamesTheBadItemOfALegacyBatch_AndRefusesTheWholeBatch()
    {
        var parse = Both.Parse(Mutated("casso-legacy.json", o => o["data"]![1]!["amount"] = 110.5m));
        AssertRefused(parse, "$.data[1].amount", FieldErrorCodes.NotInteger);
        Assert.Single(parse.Errors);
    }

    [Fact]
    public void Parse_RefusesALegacyBatchOfMoreThan1000()
    {
        var item = JsonNode.Parse(Fixture("casso-legacy.json"))!["data"]![0]!;
        var data = new JsonArray(Enumerable.Range(0, 1001).Select(_ => item.DeepClone()).ToArray());
        byte[] body = Encoding.UTF8.GetBytes(new JsonObject { ["error"] = 0, ["data"] = data }.ToJsonString());
        AssertRefused(Both.Parse(body), "$.data", FieldErrorCodes.TooLarge);
    }

    [Fact]
    public void Parse_RefusesAZeroV2Amount() =>
        AssertRefused(Both.Parse(Mutated("casso-v2.json", o => o["data"]!["amount"] = 0)), "$.data.amount", FieldErrorCodes.OutOfRange);

    [Fact]
    public void Parse_RefusesAMissingV2Amount() =>
        AssertRefused(Both.Parse(Mutated("casso-v2.json", o => o["data"]!.AsObject().Remove("amount"))), "$.data.amount", FieldErrorCodes.Required);

    [Fact]
    public void Parse_RefusesABadV2Date() =>
        AssertRefused(Both.Parse(Mutated("casso-v2.json", o => o["data"]!["transactionDateTime"] = "12/02/2025 15:45")), "$.data.transactionDateTime", FieldErrorCodes.BadDate);

    [Fact]
    public void Parse_AcceptsAnIsoV2Date() =>
        Assert.Equal(new DateTimeOffset(2026, 9, 5, 7, 3, 10, TimeSpan.Zero),
            Single(Both.Parse(Mutated("casso-v2.json", o => o["data"]!["transactionDateTime"] = "2026-09-05T07:03:10Z"))).BookedAt);

    [Fact]
    public void Parse_RefusesANonZeroError() =>
        AssertRefused(Both.Parse(Mutated("casso-v2.json", o => o["error"] = 1)), "$.error", FieldErrorCodes.ProviderError);

    [Fact]
    public void Parse_RefusesAMissingData() =>
        AssertRefused(Both.Parse("{\"error\":0}"u8), "$.data", FieldErrorCodes.Required);

    [Fact]
    public void Parse_RefusesDataThatIsNeitherObjectNorArray() =>
        AssertRefused(Both.Parse("{\"error\":0,\"data\":\"x\"}"u8), "$.data", FieldErrorCodes.WrongType);

    [Fact]
    public void Parse_FallsBackToSubAccIdForTheLegacyAccount()
    {
        var parse = Both.Parse(Mutated("casso-legacy.json", o => o["data"]![0]!.AsObject().Remove("bank_sub_acc_id")));
        Assert.True(parse.IsValid, parse.ToString());
        Assert.Equal("0071000962707", parse.Transactions[0].AccountNumber);
    }

    [Fact]
    public void Parse_RefusesALegacyItemWithoutAccount() =>
        AssertRefused(Both.Parse(Mutated("casso-legacy.json", o =>
        {
            o["data"]![0]!.AsObject().Remove("bank_sub_acc_id");
            o["data"]![0]!.AsObject().Remove("subAccId");
        })), "$.data[0].bank_sub_acc_id", FieldErrorCodes.Required);

    [Theory]
    [InlineData("VCB", "Vietcombank", "970436")]
    [InlineData("VPB", "VPBank", "970432")]
    [InlineData("", "Ngân hàng TMCP Á Châu", "970416")]
    [InlineData("VCB", "VPBank", null)]
    [InlineData("CIMB", "CIMB", null)]
    public void Parse_ResolvesTheBinFromTheBankFields(string abbreviation, string name, string? bin) =>
        Assert.Equal(bin, Single(Both.Parse(Mutated("casso-v2.json", o =>
        {
            o["data"]!["bankAbbreviation"] = abbreviation;
            o["data"]!["bankName"] = name;
        }))).BankBin);

    [Fact]
    public void CanonicalJson_SortsKeysRecursivelyWithoutWhiteSpace()
    {
        using var document = System.Text.Json.JsonDocument.Parse(
            "{ \"b\": 1, \"a\": { \"d\": \"x\\ny\\u0001\\\"/<\", \"c\": [ { \"z\": 1, \"y\": 2.50 }, true, null ] }, \"A\": \"\\u0110\\u1ea3ng\", \"é\": 0 }");
        Assert.Equal(
            "{\"A\":\"Đảng\",\"a\":{\"c\":[{\"y\":2.50,\"z\":1},true,null],\"d\":\"x\\ny\\u0001\\\"/<\"},\"b\":1,\"é\":0}",
            CassoSignature.CanonicalJson(document.RootElement));
    }

    [Fact]
    public void Sign_UsesMillisecondsAndTheExpectedHeaderShape()
    {
        string header = CassoSignature.Sign("k", 1_700_000_000_123, "{\"data\":{}}"u8);
        Assert.StartsWith("t=1700000000123,v1=", header, StringComparison.Ordinal);
        Assert.Equal(128, header[(header.IndexOf("v1=", StringComparison.Ordinal) + 3)..].Length);
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA512.HashData("k"u8, "1700000000123.{\"data\":{}}"u8)),
            header[(header.IndexOf("v1=", StringComparison.Ordinal) + 3)..]);
    }

    /// <summary>Casso's own published sample (CassoHQ/casso-webhook-v2-verify-signature): key, t and v1 as published.</summary>
    [Fact]
    public void Verify_AcceptsCassosPublishedSample()
    {
        const string key = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs";
        const string header = "t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868fc667faea8e224900fa7904e7c88dfa098032fb2d6b6996856e8b7ff3";
        byte[] body = Encoding.UTF8.GetBytes("""
            {"error":0,"data":{"id":0,"reference":"MA_GIAO_DICH_THU_NGHIEM","description":"giao dich thu nghiem","amount":599000,
             "runningBalance":25000000,"transactionDateTime":"2024-10-03 15:06:37","accountNumber":"88888888",
             "bankName":"VPBank","bankAbbreviation":"VPB","virtualAccountNumber":"","virtualAccountName":"",
             "counterAccountName":"NGUYEN VAN A","counterAccountNumber":"8888888888","counterAccountBankId":"970415",
             "counterAccountBankName":"VietinBank"}}
            """);
        var adapter = new CassoWebhookAdapter(new CassoProviderOptions { ChecksumKey = key });
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1727948258788);
        Assert.Equal(WebhookVerificationStatus.Verified, adapter.Verify(new WebhookRequest(body, [KeyValuePair.Create(CassoSignature.HeaderName, header)]), at).Status);
    }
}

using System.Globalization;
using System.Text;
using Fees.BankGateway.Providers;
using Fees.Domain.Amounts;
using static Fees.BankGateway.Tests.Providers.Webhooks;

namespace Fees.BankGateway.Tests.Providers;

public class SePayWebhookAdapterTests
{
    private const string ApiKey = "sepay-api-key-7b21";
    private const string HmacSecret = "sepay-hmac-secret-55c0";
    private static readonly SePayWebhookAdapter Both = new(new SePayProviderOptions { ApiKey = ApiKey, HmacSecret = HmacSecret });
    private static readonly SePayWebhookAdapter ApiKeyOnly = new(new SePayProviderOptions { ApiKey = ApiKey });
    private static readonly SePayWebhookAdapter HmacOnly = new(new SePayProviderOptions { HmacSecret = HmacSecret });

    private static WebhookRequest HmacSigned(byte[] body, DateTimeOffset signedAt, string secret = HmacSecret)
    {
        long seconds = signedAt.ToUnixTimeSeconds();
        return Request(body,
            (SePaySignature.SignatureHeader, SePaySignature.Sign(secret, seconds, body)),
            (SePaySignature.TimestampHeader, seconds.ToString(CultureInfo.InvariantCulture)));
    }

    private static WebhookRequest WithApiKey(byte[] body, string key = ApiKey) => Request(body, ("Authorization", SePaySignature.Authorization(key)));

    [Fact]
    public void SuccessResponseBody_IsWhatSePayExpects() => Assert.Equal("{\"success\":true}", SePayWebhookAdapter.SuccessResponseBody);

    [Fact]
    public void Sign_SignsTheTimestampADotAndTheRawBody()
    {
        // HMAC-SHA256("key", "1700000000.{}") computed independently (Python hmac).
        Assert.Equal("sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("key"u8, "1700000000.{}"u8)),
            SePaySignature.Sign("key", 1_700_000_000, "{}"u8));
    }

    [Fact]
    public void Verify_ReturnsVerified_ForTheApiKey() =>
        Assert.Equal(WebhookVerificationStatus.Verified, ApiKeyOnly.Verify(WithApiKey(Fixture("sepay-in.json")), Now).Status);

    [Fact]
    public void Verify_AcceptsTheApiKeySchemeInAnyCase() =>
        Assert.Equal(WebhookVerificationStatus.Verified, ApiKeyOnly.Verify(Request(Fixture("sepay-in.json"), ("authorization", "APIKEY " + ApiKey)), Now).Status);

    [Fact]
    public void Verify_ReturnsBadSignature_ForAWrongApiKey() =>
        Assert.Equal(WebhookVerificationStatus.BadSignature, ApiKeyOnly.Verify(WithApiKey(Fixture("sepay-in.json"), ApiKey + "x"), Now).Status);

    [Theory]
    [InlineData("Bearer sepay-api-key-7b21")]
    [InlineData("Apikey")]
    [InlineData("Apikey ")]
    [InlineData("sepay-api-key-7b21")]
    public void Verify_ReturnsBadSignature_ForAMalformedAuthorization(string authorization) =>
        Assert.Equal(WebhookVerificationStatus.BadSignature, ApiKeyOnly.Verify(Request(Fixture("sepay-in.json"), ("Authorization", authorization)), Now).Status);

    [Fact]
    public void Verify_ReturnsVerified_ForTheHmacSignedFixture() =>
        Assert.Equal(WebhookVerificationStatus.Verified, HmacOnly.Verify(HmacSigned(Fixture("sepay-in.json"), Now), Now).Status);

    [Fact]
    public void Verify_ReturnsBadSignature_WhenOneByteOfTheBodyChanges()
    {
        byte[] body = Fixture("sepay-in.json");
        var signed = HmacSigned(body, Now);
        var tampered = new WebhookRequest(FlipByte(body, 40), signed.Headers);
        Assert.Equal(WebhookVerificationStatus.BadSignature, HmacOnly.Verify(tampered, Now).Status);
    }

    [Fact]
    public void Verify_ReturnsBadSignature_WhenTheTimestampHeaderIsChanged()
    {
        byte[] body = Fixture("sepay-in.json");
        var signed = HmacSigned(body, Now);
        var moved = Request(body,
            (SePaySignature.SignatureHeader, signed.Header(SePaySignature.SignatureHeader)!),
            (SePaySignature.TimestampHeader, (Now.ToUnixTimeSeconds() + 1).ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(WebhookVerificationStatus.BadSignature, HmacOnly.Verify(moved, Now).Status);
    }

    [Fact]
    public void Verify_ReturnsBadSignature_WhenSignedWithAnotherSecret() =>
        Assert.Equal(WebhookVerificationStatus.BadSignature, HmacOnly.Verify(HmacSigned(Fixture("sepay-in.json"), Now, "another"), Now).Status);

    [Fact]
    public void Verify_ReturnsStale_WhenTimestampIsSixMinutesOld() =>
        Assert.Equal(WebhookVerificationStatus.Stale, HmacOnly.Verify(HmacSigned(Fixture("sepay-in.json"), Now.AddMinutes(-6)), Now).Status);

    [Fact]
    public void Verify_ReturnsStale_WhenTimestampIsSixMinutesAhead() =>
        Assert.Equal(WebhookVerificationStatus.Stale, HmacOnly.Verify(HmacSigned(Fixture("sepay-in.json"), Now.AddMinutes(6)), Now).Status);

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    [InlineData(-299)]
    public void Verify_ReturnsVerified_WhenTimestampIsWithinFiveMinutes(int seconds) =>
        Assert.Equal(WebhookVerificationStatus.Verified, HmacOnly.Verify(HmacSigned(Fixture("sepay-in.json"), Now.AddSeconds(seconds)), Now).Status);

    [Fact]
    public void Verify_ReturnsStale_WhenTimestampIsFiveMinutesAndOneSecondOld() =>
        Assert.Equal(WebhookVerificationStatus.Stale, HmacOnly.Verify(HmacSigned(Fixture("sepay-in.json"), Now.AddSeconds(-301)), Now).Status);

    [Theory]
    [InlineData("")]
    [InlineData("-1700000000")]
    [InlineData("1700000000.5")]
    [InlineData(" 17 ")]
    [InlineData("9999999999999")]
    public void Verify_ReturnsBadSignature_WhenTheTimestampIsNotUnixSeconds(string timestamp)
    {
        byte[] body = Fixture("sepay-in.json");
        var request = Request(body, (SePaySignature.SignatureHeader, SePaySignature.Sign(HmacSecret, 1, body)), (SePaySignature.TimestampHeader, timestamp));
        Assert.Equal(WebhookVerificationStatus.BadSignature, HmacOnly.Verify(request, Now).Status);
    }

    [Fact]
    public void Verify_ReturnsBadSignature_WhenTheSignatureComesWithoutATimestamp()
    {
        byte[] body = Fixture("sepay-in.json");
        var request = Request(body, (SePaySignature.SignatureHeader, SePaySignature.Sign(HmacSecret, Now.ToUnixTimeSeconds(), body)));
        Assert.Equal(WebhookVerificationStatus.BadSignature, HmacOnly.Verify(request, Now).Status);
    }

    [Fact]
    public void Verify_ReturnsMissing_WhenNoHeaderIsPresent() =>
        Assert.Equal(WebhookVerificationStatus.Missing, Both.Verify(Request(Fixture("sepay-in.json")), Now).Status);

    [Fact]
    public void Verify_ReturnsMissing_ForAnApiKeyWhenOnlyHmacIsConfigured() =>
        Assert.Equal(WebhookVerificationStatus.Missing, HmacOnly.Verify(WithApiKey(Fixture("sepay-in.json")), Now).Status);

    [Fact]
    public void Verify_ReturnsMissing_ForAnHmacSignatureWhenOnlyTheApiKeyIsConfigured() =>
        Assert.Equal(WebhookVerificationStatus.Missing, ApiKeyOnly.Verify(HmacSigned(Fixture("sepay-in.json"), Now), Now).Status);

    [Fact]
    public void Verify_LetsTheHmacDecide_WhenBothSchemesArePresented()
    {
        // A right API key does not rescue a wrong signature: the stronger scheme, once presented, decides.
        byte[] body = Fixture("sepay-in.json");
        var signed = HmacSigned(body, Now, "another");
        var request = new WebhookRequest(body, signed.Headers.Append(KeyValuePair.Create("Authorization", SePaySignature.Authorization(ApiKey))));
        Assert.Equal(WebhookVerificationStatus.BadSignature, Both.Verify(request, Now).Status);
    }

    [Fact]
    public void Verify_ReturnsMissing_WhenTheProviderIsDisabled()
    {
        var disabled = new SePayWebhookAdapter(new SePayProviderOptions { ApiKey = "", HmacSecret = " " });
        Assert.False(disabled.IsEnabled);
        Assert.Equal(WebhookVerificationStatus.Missing, disabled.Verify(Request(Fixture("sepay-in.json"), ("Authorization", "Apikey ")), Now).Status);
        Assert.Equal(WebhookVerificationStatus.Missing, disabled.Verify(HmacSigned(Fixture("sepay-in.json"), Now, " "), Now).Status);
    }

    [Fact]
    public void Parse_ReadsAnIncomingTransferWithVietnameseContent()
    {
        var t = Single(Both.Parse(Fixture("sepay-in.json")));
        Assert.Equal("sepay", t.Provider);
        Assert.Equal("92704", t.TransactionId);
        Assert.Equal("970436", t.BankBin);
        Assert.Equal("0071000962707", t.AccountNumber);
        Assert.Null(t.SubAccount);
        Assert.Equal(TransferDirection.In, t.Direction);
        Assert.Equal(Money.Vnd(54756), t.Amount);
        Assert.Equal("MBVCB.1457193831.DP7K2QF9XZ.Đảng phí tháng 8 Trịnh Minh Hồng", t.Content);
        Assert.StartsWith("BankAPINotify MBVCB.1457193831", t.RawDescription, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2026, 9, 5, 14, 2, 37, TimeSpan.FromHours(7)), t.BookedAt);
        Assert.Equal("MBVCB.1457193831", t.BankReference);
        Assert.Equal(Money.Vnd(19_077_000), t.RunningBalance);
    }

    [Fact]
    public void Parse_ReadsAnOutgoingTransfer()
    {
        var t = Single(Both.Parse(Fixture("sepay-out.json")));
        Assert.Equal(TransferDirection.Out, t.Direction);
        Assert.Equal(Money.Vnd(1_200_000), t.Amount);
        Assert.Equal("970422", t.BankBin);
        Assert.Equal("VQRQ00123ABC", t.SubAccount);
        Assert.Null(t.RawDescription);
    }

    [Fact]
    public void Parse_AcceptsAStringIdAndNullContent()
    {
        var t = Single(Both.Parse(Mutated("sepay-in.json", o => { o["id"] = "92704"; o["content"] = null; })));
        Assert.Equal("92704", t.TransactionId);
        Assert.Equal("", t.Content);
    }

    [Fact]
    public void Parse_LeavesTheBinNull_ForAnUnknownGateway() =>
        Assert.Null(Single(Both.Parse(Mutated("sepay-in.json", o => o["gateway"] = "Ngân hàng Mặt Trăng"))).BankBin);

    [Theory]
    [InlineData("IN")]
    [InlineData("credit")]
    [InlineData("")]
    public void Parse_RefusesAnUnknownTransferType(string type) =>
        AssertRefused(Both.Parse(Mutated("sepay-in.json", o => o["transferType"] = type)), "$.transferType", FieldErrorCodes.BadDirection);

    [Fact]
    public void Parse_RefusesANegativeTransferAmount() =>
        AssertRefused(Both.Parse(Mutated("sepay-in.json", o => o["transferAmount"] = -54756)), "$.transferAmount", FieldErrorCodes.OutOfRange);

    [Fact]
    public void Parse_RefusesAMissingTransferAmount() =>
        AssertRefused(Both.Parse(Mutated("sepay-in.json", o => o.Remove("transferAmount"))), "$.transferAmount", FieldErrorCodes.Required);

    [Fact]
    public void Parse_RefusesAnOversizedTransferAmount() =>
        AssertRefused(Both.Parse(Mutated("sepay-in.json", o => o["transferAmount"] = 1_000_000_000_000L)), "$.transferAmount", FieldErrorCodes.OutOfRange);

    [Fact]
    public void Parse_RefusesANonIntegerTransferAmount() =>
        AssertRefused(Both.Parse(Mutated("sepay-in.json", o => o["transferAmount"] = 54756.25m)), "$.transferAmount", FieldErrorCodes.NotInteger);

    [Theory]
    [InlineData("2026-09-05T14:02:37")]
    [InlineData("2026-09-05 14:02")]
    [InlineData("05-09-2026 14:02:37")]
    [InlineData("2026-13-05 14:02:37")]
    public void Parse_RefusesABadTransactionDate(string date) =>
        AssertRefused(Both.Parse(Mutated("sepay-in.json", o => o["transactionDate"] = date)), "$.transactionDate", FieldErrorCodes.BadDate);

    [Fact]
    public void Parse_RefusesAnAccountNumberSentAsANumber() =>
        AssertRefused(Both.Parse(Mutated("sepay-in.json", o => o["accountNumber"] = 71000962707L)), "$.accountNumber", FieldErrorCodes.WrongType);

    [Fact]
    public void Parse_RefusesANegativeNumericId() =>
        AssertRefused(Both.Parse(Mutated("sepay-in.json", o => o["id"] = -1)), "$.id", FieldErrorCodes.OutOfRange);

    [Fact]
    public void Parse_RefusesAReferenceCodeLongerThan100Characters() =>
        AssertRefused(Both.Parse(Mutated("sepay-in.json", o => o["referenceCode"] = new string('F', 101))), "$.referenceCode", FieldErrorCodes.TooLong);

    [Fact]
    public void Parse_IgnoresUnknownProperties() =>
        Assert.True(Both.Parse(Mutated("sepay-in.json", o => o["somethingNew"] = Encoding.UTF8.GetString("{}"u8))).IsValid);
}

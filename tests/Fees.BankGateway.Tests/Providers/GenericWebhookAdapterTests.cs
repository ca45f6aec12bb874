using System.Text;
using Fees.BankGateway.Providers;
using Fees.Domain.Amounts;
using static Fees.BankGateway.Tests.Providers.Webhooks;

namespace Fees.BankGateway.Tests.Providers;

public class GenericWebhookAdapterTests
{
    private const string Secret = "generic-test-secret-3f9a";
    private static readonly GenericWebhookAdapter Adapter = new(new GenericProviderOptions { Secret = Secret });

    private static WebhookRequest Signed(byte[] body, string secret = Secret) =>
        Request(body, (GenericSignature.HeaderName, GenericSignature.Sign(secret, body)));

    [Fact]
    public void Sign_WritesSha256PrefixAndLowercaseHex()
    {
        string header = GenericSignature.Sign("key", Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog"));
        // RFC 4231-style known answer (the Wikipedia HMAC-SHA256 example).
        Assert.Equal("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8", header);
    }

    [Fact]
    public void Verify_ReturnsVerified_ForTheSignedFixture()
    {
        var result = Adapter.Verify(Signed(Fixture("generic-in.json")), Now);
        Assert.Equal(WebhookVerificationStatus.Verified, result.Status);
        Assert.True(result.IsVerified);
    }

    [Fact]
    public void Verify_AcceptsUpperCaseHexAndAnyHeaderCase()
    {
        byte[] body = Fixture("generic-in.json");
        string header = GenericSignature.Sign(Secret, body);
        var request = Request(body, ("x-fees-signature", GenericSignature.Prefix + header[GenericSignature.Prefix.Length..].ToUpperInvariant()));
        Assert.Equal(WebhookVerificationStatus.Verified, Adapter.Verify(request, Now).Status);
    }

    [Fact]
    public void Verify_ReturnsBadSignature_WhenOneByteOfTheBodyChanges()
    {
        byte[] body = Fixture("generic-in.json");
        string header = GenericSignature.Sign(Secret, body);
        var request = Request(FlipByte(body, body.Length / 2), (GenericSignature.HeaderName, header));
        Assert.Equal(WebhookVerificationStatus.BadSignature, Adapter.Verify(request, Now).Status);
    }

    [Fact]
    public void Verify_ReturnsBadSignature_WhenSignedWithAnotherSecret() =>
        Assert.Equal(WebhookVerificationStatus.BadSignature, Adapter.Verify(Signed(Fixture("generic-in.json"), "another-secret"), Now).Status);

    [Fact]
    public void Verify_ReturnsMissing_WhenTheHeaderIsAbsent() =>
        Assert.Equal(WebhookVerificationStatus.Missing, Adapter.Verify(Request(Fixture("generic-in.json")), Now).Status);

    [Theory]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha256=abc")]
    [InlineData("SHA256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")]
    [InlineData("sha512=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")]
    [InlineData("sha256=g7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")]
    [InlineData("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8")]
    public void Verify_ReturnsBadSignature_WhenTheHeaderIsMalformed(string header) =>
        Assert.Equal(WebhookVerificationStatus.BadSignature, Adapter.Verify(Request(Fixture("generic-in.json"), (GenericSignature.HeaderName, header)), Now).Status);

    [Fact]
    public void Verify_ReturnsBadSignature_WhenTheHeaderIsSentTwice()
    {
        byte[] body = Fixture("generic-in.json");
        string header = GenericSignature.Sign(Secret, body);
        var request = Request(body, (GenericSignature.HeaderName, header), ("X-FEES-SIGNATURE", header));
        Assert.Equal(WebhookVerificationStatus.BadSignature, Adapter.Verify(request, Now).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Verify_ReturnsMissing_WhenTheProviderIsDisabled(string? secret)
    {
        var disabled = new GenericWebhookAdapter(new GenericProviderOptions { Secret = secret });
        byte[] body = Fixture("generic-in.json");
        // Even a body "signed" with the blank secret's empty key is refused: disabled never means "accept anything".
        var request = Request(body, (GenericSignature.HeaderName, "sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Array.Empty<byte>(), body))));
        Assert.False(disabled.IsEnabled);
        Assert.Equal(WebhookVerificationStatus.Missing, disabled.Verify(request, Now).Status);
    }

    [Fact]
    public void Verify_ReasonNeverContainsTheSecretOrTheSignature()
    {
        byte[] body = Fixture("generic-in.json");
        string header = GenericSignature.Sign("wrong-secret", body);
        var result = Adapter.Verify(Request(body, (GenericSignature.HeaderName, header)), Now);
        Assert.DoesNotContain(Secret, result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(header[7..], result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReadsAnIncomingTransfer()
    {
        var t = Single(Adapter.Parse(Fixture("generic-in.json")));
        Assert.Equal("generic", t.Provider);
        Assert.Equal("FEESBANK-20260905-000123", t.TransactionId);
        Assert.Equal("970436", t.BankBin);
        Assert.Equal("0071000962707", t.AccountNumber);
        Assert.Equal(TransferDirection.In, t.Direction);
        Assert.Equal(Money.Vnd(54756), t.Amount);
        Assert.Equal("DP7K2QF9XZ Đảng phí tháng 8 Trịnh Minh Hồng", t.Content);
        Assert.Equal(new DateTimeOffset(2026, 9, 5, 14, 3, 0, TimeSpan.FromHours(7)), t.BookedAt);
        Assert.Equal("TRINH MINH HONG", t.CounterpartyName);
        Assert.Equal("0291000285902", t.CounterpartyAccount);
        Assert.Equal("FT26248123456789", t.BankReference);
        Assert.Equal(Money.Vnd(12054756), t.RunningBalance);
        Assert.Null(t.SubAccount);
        Assert.Null(t.RawDescription);
    }

    [Fact]
    public void Parse_ReadsANegativeAmountAsAnOutgoingTransfer()
    {
        var t = Single(Adapter.Parse(Fixture("generic-out.json")));
        Assert.Equal(TransferDirection.Out, t.Direction);
        Assert.Equal(Money.Vnd(1_200_000), t.Amount);
        Assert.Equal(Money.Vnd(-1_200_000), t.SignedAmount);
        Assert.Equal(new DateTimeOffset(2026, 9, 30, 2, 15, 0, TimeSpan.Zero), t.BookedAt);
        Assert.Null(t.CounterpartyName);
        Assert.Null(t.RunningBalance);
    }

    [Fact]
    public void Parse_RefusesADirectionThatContradictsTheSign() =>
        AssertRefused(Adapter.Parse(Mutated("generic-out.json", o => o["direction"] = "in")), "$.direction", FieldErrorCodes.BadDirection);

    [Fact]
    public void Parse_RefusesAMissingAmount() =>
        AssertRefused(Adapter.Parse(Mutated("generic-in.json", o => o.Remove("amount"))), "$.amount", FieldErrorCodes.Required);

    [Fact]
    public void Parse_RefusesAFractionalAmount() =>
        AssertRefused(Adapter.Parse(Mutated("generic-in.json", o => o["amount"] = 54756.5m)), "$.amount", FieldErrorCodes.NotInteger);

    [Theory]
    [InlineData("54756.0")]
    [InlineData("5.4756e4")]
    public void Parse_RefusesAnAmountWithAFractionOrExponent(string literal) =>
        AssertRefused(Adapter.Parse(Replaced("generic-in.json", "\"amount\": 54756", "\"amount\": " + literal)), "$.amount", FieldErrorCodes.NotInteger);

    [Fact]
    public void Parse_RefusesAnAmountSentAsAString() =>
        AssertRefused(Adapter.Parse(Mutated("generic-in.json", o => o["amount"] = "54756")), "$.amount", FieldErrorCodes.WrongType);

    [Theory]
    [InlineData(0L)]
    [InlineData(1_000_000_000_000L)]
    [InlineData(-1_000_000_000_000L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Parse_RefusesAnAmountOutOfRange(long amount) =>
        AssertRefused(Adapter.Parse(Mutated("generic-in.json", o => o["amount"] = amount)), "$.amount", FieldErrorCodes.OutOfRange);

    [Fact]
    public void Parse_RefusesAnAmountBeyondInt64() =>
        AssertRefused(Adapter.Parse(Replaced("generic-in.json", "\"amount\": 54756", "\"amount\": 99999999999999999999")), "$.amount", FieldErrorCodes.OutOfRange);

    [Fact]
    public void Parse_AcceptsTheLargestAmount()
    {
        var t = Single(Adapter.Parse(Mutated("generic-in.json", o => o["amount"] = 999_999_999_999L)));
        Assert.Equal(Money.Vnd(999_999_999_999), t.Amount);
    }

    [Theory]
    [InlineData("2026-09-05 14:03:00")]
    [InlineData("2026-09-05T14:03:00")]
    [InlineData("05/09/2026 14:03")]
    [InlineData("2026-02-30T14:03:00+07:00")]
    [InlineData("1999-12-31T23:59:59Z")]
    [InlineData("")]
    public void Parse_RefusesABadBookingDate(string value) =>
        AssertRefused(Adapter.Parse(Mutated("generic-in.json", o => o["bookedAt"] = value)), "$.bookedAt",
            value.Length == 0 ? FieldErrorCodes.Required : FieldErrorCodes.BadDate);

    [Fact]
    public void Parse_RefusesContentLongerThan1000Characters_InsteadOfTruncating() =>
        AssertRefused(Adapter.Parse(Mutated("generic-in.json", o => o["content"] = new string('đ', 1001))), "$.content", FieldErrorCodes.TooLong);

    [Fact]
    public void Parse_AcceptsContentOfExactly1000CharactersAndEmptyContent()
    {
        Assert.Equal(1000, Single(Adapter.Parse(Mutated("generic-in.json", o => o["content"] = new string('ồ', 1000)))).Content.Length);
        Assert.Equal("", Single(Adapter.Parse(Mutated("generic-in.json", o => o["content"] = ""))).Content);
    }

    [Theory]
    [InlineData("0071-0009-6270")]
    [InlineData("0071000962707x")]
    [InlineData("00710009627070000000")]
    public void Parse_RefusesABadAccountNumber(string account) =>
        AssertRefused(Adapter.Parse(Mutated("generic-in.json", o => o["accountNumber"] = account)), "$.accountNumber", FieldErrorCodes.BadAccount);

    [Fact]
    public void Parse_TrimsTheAccountNumber() =>
        Assert.Equal("0071000962707", Single(Adapter.Parse(Mutated("generic-in.json", o => o["accountNumber"] = " 0071000962707 "))).AccountNumber);

    [Theory]
    [InlineData("97043")]
    [InlineData("9704366")]
    [InlineData("VCB")]
    public void Parse_RefusesABadBin(string bin) =>
        AssertRefused(Adapter.Parse(Mutated("generic-in.json", o => o["bankBin"] = bin)), "$.bankBin", FieldErrorCodes.BadBin);

    [Fact]
    public void Parse_RefusesATransactionIdLongerThan100Characters() =>
        AssertRefused(Adapter.Parse(Mutated("generic-in.json", o => o["transactionId"] = new string('A', 101))), "$.transactionId", FieldErrorCodes.TooLong);

    [Fact]
    public void Parse_NamesEveryBadField()
    {
        var parse = Adapter.Parse(Encoding.UTF8.GetBytes("{\"amount\":\"x\"}"));
        Assert.False(parse.IsValid);
        Assert.Equal(
            ["$.transactionId", "$.bankBin", "$.accountNumber", "$.amount", "$.content", "$.bookedAt"],
            parse.Errors.Select(e => e.Path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"amount\":1,}")]
    [InlineData("{\"amount\":1,\"amount\":2}")]
    [InlineData("{\"amount\":1} {}")]
    public void Parse_RefusesABodyThatIsNotStrictJson(string body) =>
        AssertRefused(Adapter.Parse(Encoding.UTF8.GetBytes(body)), "$", FieldErrorCodes.MalformedJson);

    [Fact]
    public void Parse_RefusesAJsonArrayBody() =>
        AssertRefused(Adapter.Parse("[]"u8), "$", FieldErrorCodes.WrongType);

    [Fact]
    public void Parse_RefusesABodyOverOneMebibyte()
    {
        byte[] body = new byte[WebhookLimits.MaxBodyBytes + 1];
        Array.Fill(body, (byte)' ');
        AssertRefused(Adapter.Parse(body), "$", FieldErrorCodes.TooLarge);
    }

    [Fact]
    public void Parse_RefusesAnUnpairedSurrogateInContent() =>
        AssertRefused(Adapter.Parse(Replaced("generic-in.json", "\"content\": \"DP7K2QF9XZ", "\"content\": \"\\ud800DP7K2QF9XZ")), "$.content", FieldErrorCodes.BadText);
}

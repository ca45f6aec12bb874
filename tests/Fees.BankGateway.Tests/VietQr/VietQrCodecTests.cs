using Fees.BankGateway.VietQr;
using Fees.Domain.Amounts;
using static Fees.BankGateway.VietQr.VietQrRefusalCodes;

namespace Fees.BankGateway.Tests.VietQr;

public class VietQrCodecTests
{
    private static VietQrPayload Acb() => VietQrPayload.Dynamic("970416", "257678859", Money.Vnd(1000), "Chuyen tien");

    [Fact]
    public void Encode_Dynamic_MatchesTheVietnamQrPayGoldenString() =>
        Assert.Equal(
            "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802VN62150811Chuyen tien6304BBB8",
            VietQrCodec.Encode(Acb()));

    [Fact]
    public void Encode_Static_MatchesTheVietnamQrPayGoldenString() =>
        Assert.Equal(
            "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F",
            VietQrCodec.Encode(VietQrPayload.Static("970416", "257678859")));

    public static TheoryData<VietQrPayload, string> InvalidPayloads() => new()
    {
        { Acb() with { BankBin = "97041" }, nameof(VietQrPayload.BankBin) },
        { Acb() with { BankBin = "97041A" }, nameof(VietQrPayload.BankBin) },
        { Acb() with { AccountNumber = "" }, nameof(VietQrPayload.AccountNumber) },
        { Acb() with { AccountNumber = new string('1', 20) }, nameof(VietQrPayload.AccountNumber) },
        { Acb() with { AccountNumber = "12345é" }, nameof(VietQrPayload.AccountNumber) },
        { Acb() with { Amount = null }, nameof(VietQrPayload.Amount) },
        { Acb() with { Amount = Money.Zero }, nameof(VietQrPayload.Amount) },
        { Acb() with { Amount = Money.Vnd(-5) }, nameof(VietQrPayload.Amount) },
        { Acb() with { Amount = Money.Vnd(500_000_000) }, nameof(VietQrPayload.Amount) },
        { Acb() with { Purpose = "Đảng phí tháng 8" }, nameof(VietQrPayload.Purpose) },
        { Acb() with { Purpose = new string('A', 26) }, nameof(VietQrPayload.Purpose) },
        { Acb() with { Purpose = "" }, nameof(VietQrPayload.Purpose) },
        { Acb() with { Purpose = "tab\there" }, nameof(VietQrPayload.Purpose) },
        { Acb() with { BillNumber = new string('1', 26) }, nameof(VietQrPayload.BillNumber) },
        { Acb() with { MerchantName = new string('N', 26) }, nameof(VietQrPayload.MerchantName) },
        { Acb() with { MerchantCity = "Thành phố Huế" }, nameof(VietQrPayload.MerchantCity) },
        { Acb() with { MerchantCategoryCode = "123" }, nameof(VietQrPayload.MerchantCategoryCode) },
        { Acb() with { PointOfInitiation = (PointOfInitiation)13 }, nameof(VietQrPayload.PointOfInitiation) },
    };

    [Theory]
    [MemberData(nameof(InvalidPayloads))]
    public void Encode_RefusesAnInvalidField_NamingIt(VietQrPayload payload, string field)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => VietQrCodec.Encode(payload));
        Assert.Equal(field, error.ParamName);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_AllowsTheHighestAmountBelowTheCap() =>
        Assert.True(VietQrCodec.Decode(VietQrCodec.Encode(Acb() with { Amount = Money.Vnd(499_999_999) })).IsValid);

    /// <summary>Builds a payload from raw fields with a correct CRC, to test rules other than the CRC.</summary>
    private static string WithCrc(string withoutCrc)
    {
        string body = withoutCrc + "6304";
        return body + Crc16CcittFalse.ToHex(Crc16CcittFalse.Compute(body));
    }

    private const string Account38 = "38530010A0000007270123000697041601092576788590208QRIBFTTA";

    public static TheoryData<string, string> InvalidStrings() => new()
    {
        { "", Empty },
        { "000201", MissingCrc },
        { WithCrc("000201010212" + Account38 + "5303704" + "5802VN"), AmountRequired },
        { WithCrc("000201010211" + Account38 + "5303704" + "54050" + "5802VN"), MalformedTlv },
        { WithCrc("000201010211" + Account38 + "5303704" + "54010" + "5802VN"), BadAmount },
        { WithCrc("000201010212" + Account38 + "5303704" + "54071000.00" + "5802VN"), BadAmount },
        { WithCrc("000201010212" + Account38 + "5303704" + "5406 50000" + "5802VN"), BadAmount },
        { WithCrc("000201010212" + Account38 + "5303704" + "5409500000000" + "5802VN"), BadAmount },
        { WithCrc("000201010211" + Account38 + "5303840" + "5802VN"), BadCurrency },
        { WithCrc("000201010211" + Account38 + "5802VN"), BadCurrency },
        { WithCrc("000201010211" + Account38 + "5303704" + "5802US"), BadCountry },
        { WithCrc("000201010213" + Account38 + "5303704" + "5802VN"), BadPointOfInitiation },
        { WithCrc("000201" + Account38 + "5303704" + "5802VN"), BadPointOfInitiation },
        { WithCrc("010211000201" + Account38 + "5303704" + "5802VN"), BadPayloadFormat },
        { WithCrc("000201010211" + "5303704" + "5802VN"), MissingMerchantAccount },
        { WithCrc("000201010211" + Account38 + Account38 + "5303704" + "5802VN"), DuplicateTag },
        { WithCrc("000201010211" + "38530010A0000007280123000697041601092576788590208QRIBFTTA" + "5303704" + "5802VN"), BadGuid },
        { WithCrc("000201010211" + "38530010A000000727012300069704AB01092576788590208QRIBFTTA" + "5303704" + "5802VN"), BadBin },
        { WithCrc("000201010211" + "38530010A0000007270123000697041601092576788590208QRIBFTTX" + "5303704" + "5802VN"), BadServiceCode },
        { WithCrc("000201010211" + "38410010A00000072701230006970416010925767885953037045802VN"), BadServiceCode },
        { WithCrc("000201010211" + "38530010A0000007270123000697041601092576788590208QRIBFTTA" + "5303704" + "5802VN" + "6226" + "0823" + "ABCDEFGHIJKLMNOPQRSTUV"), NestedLength },
        { WithCrc("000201010212" + Account38 + "5303704" + "54031005802VN" + "6230" + "0826" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), FieldTooLong },
        { WithCrc("000201010211" + Account38 + "5303704" + "5802VN" + "5926" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), FieldTooLong },
        { WithCrc("000201010211" + Account38 + "5203123" + "5303704" + "5802VN"), BadMcc },
        { WithCrc("000201010211" + Account38 + "5303704" + "5802VN") + "00", MissingCrc },
        { WithCrc("000201010211" + Account38 + "5303704" + "5802VN" + "6304ABCD"), DuplicateTag },
        { WithCrc("000201010211" + "38590010A00000072701290006970416010925767885903026X0208QRIBFTTA" + "5303704" + "5802VN"), UnexpectedSubtag },
        { WithCrc("000201010211" + new string('X', 600)), TooLong },
    };

    [Theory]
    [MemberData(nameof(InvalidStrings))]
    public void Decode_RefusesWithTheStableCode(string payload, string code)
    {
        var result = VietQrCodec.Decode(payload);
        Assert.False(result.IsValid, result.ToString());
        Assert.Equal(code, result.Refusal.Code);
        Assert.NotEqual("Mã QR không hợp lệ", result.Refusal.ReasonVietnamese);
    }

    [Fact]
    public void Decode_AcceptsAmountWithOneTrailingDot()
    {
        var result = VietQrCodec.Decode(WithCrc("000201010212" + Account38 + "5303704" + "540650000." + "5802VN"));
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(Money.Vnd(50000), result.Payload.Amount);
    }

    [Fact]
    public void Decode_IgnoresUnknownTagsAnywhere()
    {
        // Tag 80 (MoMo), a tip indicator (55), an unknown 38.03 and a 62.05 reference label are all kept or ignored.
        string text = WithCrc("000201010211" + "38630010A0000007270123000697041601092576788590208QRIBFTTA0306EXTRA1"
            + "5303704" + "550201" + "5802VN" + "62160505REF010103B01" + "8006ABCDEF");
        var result = VietQrCodec.Decode(text);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("B01", result.Payload.BillNumber);
        Assert.Contains(result.Fields, f => f is { Id: "80", Value: "ABCDEF" });
    }

    [Fact]
    public void EveryRefusalCode_HasAVietnameseReason()
    {
        var codes = typeof(VietQrRefusalCodes).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
        Assert.All(codes, code => Assert.NotEqual("Mã QR không hợp lệ", VietQrRefusalCodes.Vietnamese(code)));
    }
}

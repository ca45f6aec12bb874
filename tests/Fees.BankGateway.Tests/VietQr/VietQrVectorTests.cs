using Fees.BankGateway.VietQr;
using Fees.Domain.Amounts;
using static Fees.BankGateway.VietQr.VietQrRefusalCodes;

namespace Fees.BankGateway.Tests.VietQr;

/// <summary>The 19 research vectors: each valid one decodes to what its source says, each invalid one is refused for its reason.</summary>
public class VietQrVectorTests
{
    private sealed record Expected(
        PointOfInitiation Poi,
        string Bin,
        string Account,
        VietQrService Service = VietQrService.ToAccount,
        long? Amount = null,
        string? Purpose = null,
        string? Bill = null,
        string? Mcc = null,
        string? Name = null,
        string? City = null,
        string? Warning = null);

    private static readonly Dictionary<int, Expected> Valid = new()
    {
        [2] = new(PointOfInitiation.Static, "970403", "9704031101234567", VietQrService.ToCard),
        [3] = new(PointOfInitiation.Dynamic, "970403", "0011012345678", Amount: 180000, Purpose: "thanh toan don hang", Bill: "NPS6869"),
        [4] = new(PointOfInitiation.Dynamic, "970403", "9704031101234567", VietQrService.ToCard, 180000, "thanh toan don hang", "NPS6869"),
        [6] = new(PointOfInitiation.Dynamic, "970416", "257678859", Amount: 1000, Purpose: "Chuyen tien"),
        [7] = new(PointOfInitiation.Static, "970416", "257678859"),
        [8] = new(PointOfInitiation.Dynamic, "970416", "257678859", Amount: 10000, Purpose: "Chuyen tien"),
        [9] = new(PointOfInitiation.Static, "970407", "19030413601018"),
        [10] = new(PointOfInitiation.Static, "970422", "0352350917", Warning: "crc_lowercase"),
        [11] = new(PointOfInitiation.Dynamic, "970415", "0011001932418", Amount: 120000, Purpose: "ung ho lu lut"),
        [12] = new(PointOfInitiation.Dynamic, "970422", "660704060000129", Amount: 100, Purpose: "INVTEST0001", Mcc: "0000", Name: "company_1_data", City: "Vietnam"),
        [13] = new(PointOfInitiation.Dynamic, "970422", "660704060000129", Amount: 100, Purpose: "INVTEST0002", Mcc: "0000", Name: "aAeEoOiIuUyYdD", City: "Vietnam"),
        [15] = new(PointOfInitiation.Static, "970454", "99ZP24009M07248267"),
    };

    private static readonly Dictionary<int, string> Invalid = new()
    {
        [1] = NestedLength,          // NAPAS §6.1.1: 38.01.01 declared 12 for 13 digits
        [5] = CrcMismatch,           // §6.1.4 headline: §6.1.2 body with the §6.1.4 CRC
        [14] = NonAscii,             // 'đĐ' in tag 59
        [16] = BadPayloadFormat,     // ID 00 = "00"
        [17] = ServiceCodeMisplaced, // QRIBFTTA nested in 38.01
        [18] = NonAscii,             // diacritics, lengths counted in UTF-8 bytes
        [19] = CrcMismatch,          // corrupted CRC
    };

    [Fact]
    public void VectorFile_HasNineteenRows_AndEveryRowIsExpected()
    {
        Assert.Equal(19, VietQrVectors.All.Count);
        Assert.Equal(VietQrVectors.All.Select(v => v.Row).Order(), Valid.Keys.Concat(Invalid.Keys).Order());
        Assert.All(VietQrVectors.All, v => Assert.Equal(v.ExpectedValid, Valid.ContainsKey(v.Row)));
    }

    [Theory]
    [MemberData(nameof(VietQrVectors.Rows), MemberType = typeof(VietQrVectors))]
    public void Decode_MatchesTheVectorsVerdict(int row)
    {
        var vector = VietQrVectors.Row(row);
        var result = VietQrCodec.Decode(vector.Payload);

        if (Valid.TryGetValue(row, out var expected))
        {
            Assert.True(result.IsValid, $"{vector}: {result}");
            var p = result.Payload;
            Assert.Equal(expected.Poi, p.PointOfInitiation);
            Assert.Equal(expected.Bin, p.BankBin);
            Assert.Equal(expected.Account, p.AccountNumber);
            Assert.Equal(expected.Service, p.ServiceCode);
            Assert.Equal(expected.Amount is { } a ? Money.Vnd(a) : null, p.Amount);
            Assert.Equal(expected.Purpose, p.Purpose);
            Assert.Equal(expected.Bill, p.BillNumber);
            Assert.Equal(expected.Mcc, p.MerchantCategoryCode);
            Assert.Equal(expected.Name, p.MerchantName);
            Assert.Equal(expected.City, p.MerchantCity);
            Assert.Equal(expected.Warning is null ? [] : [expected.Warning], result.Warnings);
        }
        else
        {
            Assert.False(result.IsValid, $"{vector} was accepted: {result}");
            Assert.Equal(Invalid[row], result.Refusal.Code);
            Assert.False(string.IsNullOrWhiteSpace(result.Refusal.Reason));
            Assert.False(string.IsNullOrWhiteSpace(result.Refusal.ReasonVietnamese));
        }
    }

    [Theory]
    [MemberData(nameof(VietQrVectors.Rows), MemberType = typeof(VietQrVectors))]
    public void Encode_ReproducesEveryValidVectorThatIsInCanonicalForm(int row)
    {
        var vector = VietQrVectors.Row(row);
        var result = VietQrCodec.Decode(vector.Payload);
        if (!result.IsValid || row == 10)
        {
            return; // invalid, or written with a lowercase CRC (we write upper case)
        }
        Assert.Equal(vector.Payload, VietQrCodec.Encode(result.Payload));
    }

    [Fact]
    public void Decode_KeepsUnknownAndOptionalTopLevelTags()
    {
        var result = VietQrCodec.Decode(VietQrVectors.Row(12).Payload);
        Assert.True(result.IsValid);
        Assert.Equal(["00", "01", "38", "52", "53", "54", "58", "59", "60", "62", "63"], result.Fields.Select(f => f.Id));
    }
}

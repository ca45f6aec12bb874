using FsCheck;
using FsCheck.Fluent;
using Fees.BankGateway.VietQr;
using Fees.Domain.Amounts;

namespace Fees.BankGateway.Tests.VietQr;

/// <summary>Generators of payloads that satisfy every VietQR rule, with text drawn from all of printable ASCII.</summary>
public static class VietQrArbitraries
{
    private static readonly char[] Printable = Enumerable.Range(' ', '~' - ' ' + 1).Select(i => (char)i).ToArray();
    private static readonly char[] Digits = "0123456789".ToCharArray();

    public static Gen<string> Text(char[] alphabet, int minLength, int maxLength) =>
        Gen.Choose(minLength, maxLength).SelectMany(n => Gen.Elements(alphabet).ArrayOf(n)).Select(chars => new string(chars));

    private static Gen<string?> Optional(Gen<string> gen) =>
        Gen.Frequency((1, Gen.Constant<string?>(null)), (2, gen.Select(s => (string?)s)));

    public static Gen<VietQrPayload> PayloadGen() =>
        from poi in Gen.Elements(PointOfInitiation.Static, PointOfInitiation.Dynamic)
        from bin in Text(Digits, 6, 6)
        from account in Text(Printable, 1, VietQrCodec.MaxAccountLength)
        from service in Gen.Elements(VietQrService.ToAccount, VietQrService.ToCard)
        from dong in Gen.Choose(1, 499_999_999)
        from staticHasAmount in Gen.Elements(true, false)
        from purpose in Optional(Text(Printable, 1, VietQrCodec.MaxPurposeLength))
        from bill in Optional(Text(Printable, 1, VietQrCodec.MaxAdditionalDataLength))
        from mcc in Optional(Text(Digits, 4, 4))
        from name in Optional(Text(Printable, 1, VietQrCodec.MaxMerchantNameLength))
        from city in Optional(Text(Printable, 1, VietQrCodec.MaxMerchantCityLength))
        select new VietQrPayload
        {
            PointOfInitiation = poi,
            BankBin = bin,
            AccountNumber = account,
            ServiceCode = service,
            Amount = poi == PointOfInitiation.Dynamic || staticHasAmount ? Money.Vnd(dong) : null,
            Purpose = purpose,
            BillNumber = bill,
            MerchantCategoryCode = mcc,
            MerchantName = name,
            MerchantCity = city,
        };

    public static Arbitrary<VietQrPayload> Payload() => PayloadGen().ToArbitrary();

    /// <summary>A valid payload with a position and a replacement character that changes the encoded string.</summary>
    public static Arbitrary<Mutation> Mutations() =>
        (from payload in PayloadGen()
         from position in Gen.Choose(0, 10_000)
         from replacement in Gen.Elements(Printable)
         select new Mutation(payload, position, replacement)).ToArbitrary();
}

public sealed record Mutation(VietQrPayload Payload, int Seed, char Replacement);

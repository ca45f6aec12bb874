using FsCheck.Xunit;
using Fees.BankGateway.VietQr;
using static Fees.BankGateway.VietQr.VietQrRefusalCodes;

namespace Fees.BankGateway.Tests.VietQr;

public class VietQrCodecPropertyTests
{
    [Property(Arbitrary = [typeof(VietQrArbitraries)], MaxTest = 500)]
    public bool DecodeOfEncode_ReturnsTheInput(VietQrPayload payload)
    {
        string text = VietQrCodec.Encode(payload);
        var result = VietQrCodec.Decode(text);
        return result.IsValid && result.Payload == payload && text.Length <= VietQrCodec.MaxPayloadLength;
    }

    [Property(Arbitrary = [typeof(VietQrArbitraries)])]
    public bool Decode_AcceptsALowerCaseCrc(VietQrPayload payload)
    {
        string text = VietQrCodec.Encode(payload);
        string lowered = text[..^4] + text[^4..].ToLowerInvariant();
        var result = VietQrCodec.Decode(lowered);
        return result.IsValid && result.Payload == payload;
    }

    [Property(Arbitrary = [typeof(VietQrArbitraries)], MaxTest = 1000)]
    public void Decode_RefusesAnySingleMutatedCharacter(Mutation mutation)
    {
        string text = VietQrCodec.Encode(mutation.Payload);
        int position = mutation.Seed % text.Length;
        char replacement = mutation.Replacement;
        bool inCrcValue = position >= text.Length - 4;
        // A change of case in the CRC digits is not a change: the CRC is read in either case.
        while (replacement == text[position] || (inCrcValue && char.ToUpperInvariant(replacement) == char.ToUpperInvariant(text[position])))
        {
            replacement = replacement == '~' ? ' ' : (char)(replacement + 1);
        }
        string mutated = text[..position] + replacement + text[(position + 1)..];

        var result = VietQrCodec.Decode(mutated);

        Assert.False(result.IsValid, $"'{mutated}' was accepted");
        if (position < text.Length - 8)
        {
            Assert.Equal(CrcMismatch, result.Refusal.Code);
        }
        else
        {
            Assert.Contains(result.Refusal.Code, new[] { CrcMismatch, MissingCrc });
        }
    }
}

using System.Buffers;

namespace Fees.BankGateway.Providers;

/// <summary>Strict hex decoding for presented MACs: an exact length, digits and letters a–f in either case, nothing else.</summary>
internal static class Hex
{
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789abcdefABCDEF");

    public static bool TryDecode(ReadOnlySpan<char> text, int byteCount, out byte[] bytes)
    {
        bytes = [];
        if (text.Length != byteCount * 2 || text.IndexOfAnyExcept(Digits) >= 0)
        {
            return false;
        }
        bytes = Convert.FromHexString(text);
        return true;
    }
}

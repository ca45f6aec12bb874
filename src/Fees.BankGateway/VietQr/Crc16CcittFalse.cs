using System.Globalization;
using System.Text;

namespace Fees.BankGateway.VietQr;

/// <summary>
/// CRC-16/CCITT-FALSE (ISO/IEC 13239): polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR.
/// The EMVCo QR checksum; <c>"123456789"</c> gives <c>0x29B1</c>.
/// </summary>
public static class Crc16CcittFalse
{
    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        int crc = 0xFFFF;
        foreach (byte b in data)
        {
            crc ^= b << 8;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }
        return (ushort)crc;
    }

    /// <summary>The CRC of the UTF-8 bytes of <paramref name="text"/> (the ASCII bytes, for a valid payload).</summary>
    public static ushort Compute(string text) => Compute(Encoding.UTF8.GetBytes(text));

    /// <summary>Four upper-case hex digits, as written after <c>6304</c>.</summary>
    public static string ToHex(ushort crc) => crc.ToString("X4", CultureInfo.InvariantCulture);
}

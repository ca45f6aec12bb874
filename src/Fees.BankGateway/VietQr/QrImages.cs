using QRCoder;

namespace Fees.BankGateway.VietQr;

/// <summary>
/// Renders a VietQR payload as an image. Error correction M (15% of the symbol can be lost: a smudged printout, a
/// cracked screen), the 4-module quiet zone that scanners need, and at least <see cref="MinimumSizePx"/> pixels a side.
/// </summary>
public static class QrImages
{
    /// <summary>The smallest side, in pixels, of a PNG we hand out: readable when printed on a notice at 100 dpi.</summary>
    public const int MinimumSizePx = 300;

    /// <summary>A 1-bit black-and-white PNG of <paramref name="payload"/>.</summary>
    public static byte[] Png(VietQrPayload payload) => Png(VietQrCodec.Encode(payload));

    /// <summary>A PNG of an already encoded payload string (e.g. from the payment-qr endpoint).</summary>
    public static byte[] Png(string payload)
    {
        using var data = Generate(payload);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(PixelsPerModule(data), drawQuietZones: true);
    }

    /// <summary>An SVG document of <paramref name="payload"/> that scales to its container.</summary>
    public static string Svg(VietQrPayload payload) => Svg(VietQrCodec.Encode(payload));

    public static string Svg(string payload)
    {
        using var data = Generate(payload);
        using var svg = new SvgQRCode(data);
        return svg.GetGraphic(PixelsPerModule(data));
    }

    private static QRCodeData Generate(string payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(payload);
        // A VietQR payload is ASCII, so QRCoder picks byte or alphanumeric mode without any ECI header that old
        // bank apps may not understand.
        return QRCodeGenerator.GenerateQrCode(payload, QRCodeGenerator.ECCLevel.M);
    }

    /// <summary>The module matrix already includes the quiet zone; scale it to reach the minimum size.</summary>
    private static int PixelsPerModule(QRCodeData data)
    {
        int modules = data.ModuleMatrix.Count;
        return Math.Max(8, (MinimumSizePx + modules - 1) / modules);
    }
}

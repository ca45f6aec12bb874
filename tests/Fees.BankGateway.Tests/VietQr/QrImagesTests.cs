using System.Buffers.Binary;
using System.Xml.Linq;
using Fees.BankGateway.VietQr;
using Fees.Domain.Amounts;

namespace Fees.BankGateway.Tests.VietQr;

public class QrImagesTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static VietQrPayload Sample() =>
        VietQrPayload.Dynamic("970436", "0071000962707", Money.Vnd(54_756), "DP7K2QF9XZ DANG PHI T8");

    [Fact]
    public void Png_IsAPngOfAtLeast300Pixels()
    {
        byte[] png = QrImages.Png(Sample());

        Assert.Equal(PngSignature, png[..8]);
        // The first chunk is IHDR: length (4), type (4), then width and height, big-endian.
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        int width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));
        int height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4));
        Assert.True(width >= QrImages.MinimumSizePx, $"width {width}");
        Assert.Equal(width, height);
    }

    [Fact]
    public void Png_OfAShortPayload_IsStillAtLeast300Pixels()
    {
        byte[] png = QrImages.Png("0002010102");
        Assert.True(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)) >= QrImages.MinimumSizePx);
    }

    [Fact]
    public void Svg_IsWellFormedXml()
    {
        var document = XDocument.Parse(QrImages.Svg(Sample()));
        Assert.Equal("svg", document.Root!.Name.LocalName);
    }

    [Fact]
    public void Png_RefusesAnInvalidPayload() =>
        Assert.ThrowsAny<ArgumentException>(() => QrImages.Png(Sample() with { Purpose = "Đảng phí" }));
}

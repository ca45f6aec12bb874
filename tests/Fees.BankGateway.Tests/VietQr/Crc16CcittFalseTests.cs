using System.Text;
using Fees.BankGateway.VietQr;

namespace Fees.BankGateway.Tests.VietQr;

public class Crc16CcittFalseTests
{
    [Fact]
    public void Compute_CheckValue_Is29B1()
    {
        Assert.Equal(0x29B1, Crc16CcittFalse.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal("29B1", Crc16CcittFalse.ToHex(Crc16CcittFalse.Compute("123456789")));
    }

    [Fact]
    public void ToHex_KeepsLeadingZeros() => Assert.Equal("0283", Crc16CcittFalse.ToHex(0x0283));
}

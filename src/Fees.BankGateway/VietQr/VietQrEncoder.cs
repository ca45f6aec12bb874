using Fees.Domain.Amounts;
using Fees.Domain.Payments;

namespace Fees.BankGateway.VietQr;

/// <summary>The domain's <see cref="IVietQrEncoder"/>, on <see cref="VietQrCodec"/>.</summary>
public sealed class VietQrEncoder : IVietQrEncoder
{
    public string Dynamic(string bankBin, string accountNumber, Money amount, string purpose) =>
        VietQrCodec.Encode(VietQrPayload.Dynamic(bankBin, accountNumber, amount, purpose));

    public string Static(string bankBin, string accountNumber, string purpose) =>
        VietQrCodec.Encode(VietQrPayload.Static(bankBin, accountNumber, purpose));
}

using Fees.Domain.Amounts;

namespace Fees.BankGateway.VietQr;

/// <summary>Tag 01: whether the code may be paid many times or once.</summary>
public enum PointOfInitiation
{
    /// <summary><c>11</c>: reusable; the payer usually types the amount.</summary>
    Static = 11,
    /// <summary><c>12</c>: one transaction; carries an amount (tag 54).</summary>
    Dynamic = 12,
}

/// <summary>Tag 38.02: what the number in 38.01.01 is.</summary>
public enum VietQrService
{
    /// <summary><c>QRIBFTTA</c>: transfer to a bank account.</summary>
    ToAccount,
    /// <summary><c>QRIBFTTC</c>: transfer to a card number.</summary>
    ToCard,
}

/// <summary>
/// The content of a NAPAS VietQR code (EMVCo merchant-presented mode, NAPAS247 transfer): what
/// <see cref="VietQrCodec.Encode"/> writes and <see cref="VietQrCodec.Decode"/> reads back.
/// Fixed parts (payload format 01, NAPAS GUID, currency 704, country VN, CRC) are not represented.
/// </summary>
/// <remarks>
/// Value equality over all properties. Text fields are printable ASCII; see <see cref="VietQrCodec"/> for every limit.
/// </remarks>
public sealed record VietQrPayload
{
    /// <summary>Tag 01.</summary>
    public required PointOfInitiation PointOfInitiation { get; init; }

    /// <summary>Tag 38.01.00: the 6-digit NAPAS BIN of the receiving bank.</summary>
    public required string BankBin { get; init; }

    /// <summary>Tag 38.01.01: account or card number, 1–19 printable ASCII characters.</summary>
    public required string AccountNumber { get; init; }

    /// <summary>Tag 38.02.</summary>
    public VietQrService ServiceCode { get; init; } = VietQrService.ToAccount;

    /// <summary>Tag 54: a positive number of đồng below 500,000,000; required for <see cref="PointOfInitiation.Dynamic"/>.</summary>
    public Money? Amount { get; init; }

    /// <summary>Tag 62.08: the transfer content, ≤ 25 printable ASCII characters.</summary>
    public string? Purpose { get; init; }

    /// <summary>Tag 62.01: bill number, ≤ 25 printable ASCII characters.</summary>
    public string? BillNumber { get; init; }

    /// <summary>Tag 52: ISO 18245 merchant category code, 4 digits. Optional; VietQR transfers rarely carry it.</summary>
    public string? MerchantCategoryCode { get; init; }

    /// <summary>Tag 59: ≤ 25 printable ASCII characters. Optional.</summary>
    public string? MerchantName { get; init; }

    /// <summary>Tag 60: ≤ 15 printable ASCII characters. Optional.</summary>
    public string? MerchantCity { get; init; }

    /// <summary>A single-use code for one amount into an account: what the payment-qr endpoint serves.</summary>
    public static VietQrPayload Dynamic(string bankBin, string accountNumber, Money amount, string purpose) => new()
    {
        PointOfInitiation = PointOfInitiation.Dynamic,
        BankBin = bankBin,
        AccountNumber = accountNumber,
        Amount = amount,
        Purpose = purpose,
    };

    /// <summary>A reusable code into an account, optionally with a standing purpose (a member's standing reference).</summary>
    public static VietQrPayload Static(string bankBin, string accountNumber, string? purpose = null) => new()
    {
        PointOfInitiation = PointOfInitiation.Static,
        BankBin = bankBin,
        AccountNumber = accountNumber,
        Purpose = purpose,
    };
}

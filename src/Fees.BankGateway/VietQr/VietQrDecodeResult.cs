using System.Diagnostics.CodeAnalysis;

namespace Fees.BankGateway.VietQr;

/// <summary>
/// Why a string is not a valid VietQR payload: a stable machine <see cref="Code"/> (see <see cref="VietQrRefusalCodes"/>),
/// an English <see cref="Reason"/> with the specifics (tag, offset, value) for logs and developers, and a
/// Vietnamese <see cref="ReasonVietnamese"/> for office staff.
/// </summary>
public sealed record VietQrRefusal(string Code, string Reason, string ReasonVietnamese);

/// <summary>
/// The outcome of <see cref="VietQrCodec.Decode"/>: either a <see cref="Payload"/> or a <see cref="Refusal"/>.
/// A refusal is a value, not an exception: scanned or pasted codes are untrusted input.
/// </summary>
public sealed class VietQrDecodeResult
{
    private VietQrDecodeResult(VietQrPayload? payload, VietQrRefusal? refusal, IReadOnlyList<TlvField> fields, IReadOnlyList<string> warnings)
    {
        Payload = payload;
        Refusal = refusal;
        Fields = fields;
        Warnings = warnings;
    }

    [MemberNotNullWhen(true, nameof(Payload))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsValid => Payload is not null;

    public VietQrPayload? Payload { get; }

    public VietQrRefusal? Refusal { get; }

    /// <summary>Every top-level data object in payload order, unknown ones (tip, language, tag 80…) included; empty on refusal.</summary>
    public IReadOnlyList<TlvField> Fields { get; }

    /// <summary>Accepted oddities, e.g. <c>crc_lowercase</c> (the MB app writes the CRC in lower case).</summary>
    public IReadOnlyList<string> Warnings { get; }

    internal static VietQrDecodeResult Valid(VietQrPayload payload, IReadOnlyList<TlvField> fields, IReadOnlyList<string> warnings) =>
        new(payload, null, fields, warnings);

    internal static VietQrDecodeResult Refused(string code, string reason) =>
        new(null, new VietQrRefusal(code, reason, VietQrRefusalCodes.Vietnamese(code)), [], []);

    public override string ToString() => IsValid ? $"valid: {Payload}" : $"refused {Refusal.Code}: {Refusal.Reason}";
}

/// <summary>The stable refusal codes of <see cref="VietQrCodec.Decode"/>.</summary>
public static class VietQrRefusalCodes
{
    public const string Empty = "empty";
    public const string TooLong = "too_long";
    public const string MissingCrc = "missing_crc";
    public const string CrcMismatch = "crc_mismatch";
    public const string NonAscii = "non_ascii";
    public const string MalformedTlv = "malformed_tlv";
    public const string NestedLength = "nested_length";
    public const string DuplicateTag = "duplicate_tag";
    public const string BadPayloadFormat = "bad_payload_format";
    public const string BadPointOfInitiation = "bad_point_of_initiation";
    public const string MissingMerchantAccount = "missing_merchant_account";
    public const string BadGuid = "bad_guid";
    public const string BadBin = "bad_bin";
    public const string BadAccount = "bad_account";
    public const string ServiceCodeMisplaced = "service_code_misplaced";
    public const string UnexpectedSubtag = "unexpected_subtag";
    public const string BadServiceCode = "bad_service_code";
    public const string BadCurrency = "bad_currency";
    public const string BadCountry = "bad_country";
    public const string BadAmount = "bad_amount";
    public const string AmountRequired = "amount_required";
    public const string FieldTooLong = "field_too_long";
    public const string BadMcc = "bad_mcc";

    /// <summary>The Vietnamese text shown to office staff for a refusal code.</summary>
    public static string Vietnamese(string code) => code switch
    {
        Empty => "Mã QR trống",
        TooLong => "Mã QR dài quá 512 ký tự",
        MissingCrc => "Mã QR thiếu mã kiểm tra (CRC) ở cuối",
        CrcMismatch => "Mã kiểm tra (CRC) không khớp: mã QR bị sai hoặc bị sửa",
        NonAscii => "Mã QR chứa ký tự có dấu hoặc ký tự không hợp lệ",
        MalformedTlv => "Mã QR sai cấu trúc (mã trường hoặc độ dài không hợp lệ)",
        NestedLength => "Độ dài một trường con trong mã QR không khớp",
        DuplicateTag => "Một trường xuất hiện hai lần trong mã QR",
        BadPayloadFormat => "Trường định dạng mã (00) phải là 01 và đứng đầu",
        BadPointOfInitiation => "Phương thức khởi tạo (01) phải là 11 (tĩnh) hoặc 12 (động)",
        MissingMerchantAccount => "Mã QR thiếu thông tin tài khoản thụ hưởng NAPAS (38)",
        BadGuid => "Mã QR không phải mã VietQR của NAPAS",
        BadBin => "Mã BIN ngân hàng phải gồm 6 chữ số",
        BadAccount => "Số tài khoản hoặc số thẻ không hợp lệ (1 đến 19 ký tự)",
        ServiceCodeMisplaced => "Mã dịch vụ đặt sai vị trí (phải ở trường 38.02)",
        UnexpectedSubtag => "Thông tin người thụ hưởng chứa trường không được phép",
        BadServiceCode => "Mã dịch vụ phải là QRIBFTTA (tài khoản) hoặc QRIBFTTC (thẻ)",
        BadCurrency => "Đơn vị tiền tệ phải là VND (704)",
        BadCountry => "Mã quốc gia phải là VN",
        BadAmount => "Số tiền không hợp lệ (số nguyên dương, dưới 500 triệu đồng)",
        AmountRequired => "Mã QR động phải có số tiền",
        FieldTooLong => "Nội dung một trường vượt quá độ dài cho phép",
        BadMcc => "Mã loại hình kinh doanh (52) phải gồm 4 chữ số",
        _ => "Mã QR không hợp lệ",
    };
}

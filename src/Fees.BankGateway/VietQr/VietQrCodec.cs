using System.Globalization;
using System.Text;
using Fees.Domain.Amounts;
using static Fees.BankGateway.VietQr.VietQrRefusalCodes;

namespace Fees.BankGateway.VietQr;

/// <summary>
/// Writes and strictly reads NAPAS VietQR payloads (NAPAS VietQR format v1.0 over EMVCo merchant-presented mode).
/// </summary>
/// <remarks>
/// <para>Layout: ID 00 (<c>01</c>) first, ID 63 (CRC) last; lengths are 2 digits counted in characters; templates nest
/// the same layout: 38 = {00 GUID <c>A000000727</c>, 01 beneficiary {00 BIN, 01 account/card}, 02 service code},
/// 62 = additional data {01 bill, …, 08 purpose}.</para>
/// <para>The CRC is CRC-16/CCITT-FALSE over everything before the CRC value, <c>6304</c> included; written in upper-case
/// hex, read in either case (the MB app writes lower case).</para>
/// <para>Every text field is printable ASCII: banks' apps count lengths differently once diacritics appear
/// (UTF-16 units in one library, UTF-8 bytes in another), so a non-ASCII payload is refused, not guessed at.</para>
/// <para>Unknown tags (52 MCC, 59–61, 55–57, 64–99, templates 26–51…) are accepted and exposed in
/// <see cref="VietQrDecodeResult.Fields"/>, as EMVCo asks of readers.</para>
/// </remarks>
public static class VietQrCodec
{
    /// <summary>The NAPAS application identifier in tag 38.00.</summary>
    public const string NapasGuid = "A000000727";
    public const string ServiceCodeAccount = "QRIBFTTA";
    public const string ServiceCodeCard = "QRIBFTTC";
    public const string CurrencyVnd = "704";
    public const string CountryVietnam = "VN";
    public const int MaxPayloadLength = 512;
    public const int MaxPurposeLength = 25;
    public const int MaxAdditionalDataLength = 25;
    public const int MaxAccountLength = 19;
    public const int MaxMerchantNameLength = 25;
    public const int MaxMerchantCityLength = 15;

    /// <summary>NAPAS247 takes transfers "dưới 500 triệu đồng" (below 500,000,000 đ), terms §8.1.1.</summary>
    public static Money AmountCeiling => Fees.Domain.Payments.PaymentLimits.Napas247Ceiling;

    private const string CrcTag = "6304";

    /// <summary>The payload string for <paramref name="payload"/>, CRC included.</summary>
    /// <exception cref="ArgumentException">A field breaks a VietQR rule; the message and <c>ParamName</c> name the field.</exception>
    public static string Encode(VietQrPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Validate(payload);

        var builder = new StringBuilder(160);
        EmvTlv.Write(builder, "00", "01");
        EmvTlv.Write(builder, "01", payload.PointOfInitiation == PointOfInitiation.Static ? "11" : "12");
        string beneficiary = EmvTlv.Template(("00", payload.BankBin), ("01", payload.AccountNumber));
        EmvTlv.Write(builder, "38", EmvTlv.Template(("00", NapasGuid), ("01", beneficiary), ("02", ServiceCodeOf(payload.ServiceCode))));
        if (payload.MerchantCategoryCode is not null)
        {
            EmvTlv.Write(builder, "52", payload.MerchantCategoryCode);
        }
        EmvTlv.Write(builder, "53", CurrencyVnd);
        if (payload.Amount is { } amount)
        {
            EmvTlv.Write(builder, "54", amount.Dong.ToString(CultureInfo.InvariantCulture));
        }
        EmvTlv.Write(builder, "58", CountryVietnam);
        if (payload.MerchantName is not null)
        {
            EmvTlv.Write(builder, "59", payload.MerchantName);
        }
        if (payload.MerchantCity is not null)
        {
            EmvTlv.Write(builder, "60", payload.MerchantCity);
        }
        string additional = EmvTlv.Template(("01", payload.BillNumber), ("08", payload.Purpose));
        if (additional.Length > 0)
        {
            EmvTlv.Write(builder, "62", additional);
        }
        builder.Append(CrcTag);
        builder.Append(Crc16CcittFalse.ToHex(Crc16CcittFalse.Compute(builder.ToString())));
        if (builder.Length > MaxPayloadLength)
        {
            throw Invalid("payload", $"The payload would be {builder.Length} characters; EMVCo allows {MaxPayloadLength}.");
        }
        return builder.ToString();
    }

    private static void Validate(VietQrPayload p)
    {
        if (!Enum.IsDefined(p.PointOfInitiation))
        {
            throw Invalid(nameof(p.PointOfInitiation), $"PointOfInitiation {(int)p.PointOfInitiation} is neither Static (11) nor Dynamic (12).");
        }
        if (!Enum.IsDefined(p.ServiceCode))
        {
            throw Invalid(nameof(p.ServiceCode), $"ServiceCode {(int)p.ServiceCode} is neither ToAccount nor ToCard.");
        }
        if (p.BankBin is null || p.BankBin.Length != 6 || !EmvTlv.IsDigits(p.BankBin))
        {
            throw Invalid(nameof(p.BankBin), $"BankBin '{p.BankBin}' must be exactly 6 digits.");
        }
        if ((p.AccountNumber is null ? "is null" : CheckAns(p.AccountNumber, MaxAccountLength)) is { } accountProblem)
        {
            throw Invalid(nameof(p.AccountNumber), $"AccountNumber {accountProblem}.");
        }
        if (p.Amount is { } amount && CheckAmount(amount) is { } amountProblem)
        {
            throw Invalid(nameof(p.Amount), $"Amount {amountProblem}.");
        }
        if (p.PointOfInitiation == PointOfInitiation.Dynamic && p.Amount is null)
        {
            throw Invalid(nameof(p.Amount), "Amount is required for a dynamic (single-payment) code.");
        }
        CheckOptional(p.Purpose, MaxPurposeLength, nameof(p.Purpose));
        CheckOptional(p.BillNumber, MaxAdditionalDataLength, nameof(p.BillNumber));
        CheckOptional(p.MerchantName, MaxMerchantNameLength, nameof(p.MerchantName));
        CheckOptional(p.MerchantCity, MaxMerchantCityLength, nameof(p.MerchantCity));
        if (p.MerchantCategoryCode is { } mcc && (mcc.Length != 4 || !EmvTlv.IsDigits(mcc)))
        {
            throw Invalid(nameof(p.MerchantCategoryCode), $"MerchantCategoryCode '{mcc}' must be exactly 4 digits.");
        }
    }

    private static void CheckOptional(string? value, int maxLength, string field)
    {
        if (value is not null && CheckAns(value, maxLength) is { } problem)
        {
            throw Invalid(field, $"{field} {problem}.");
        }
    }

    private static ArgumentException Invalid(string field, string message) => new(message, field);

    /// <summary>Null when <paramref name="value"/> is 1..max printable ASCII characters, else what is wrong.</summary>
    private static string? CheckAns(string value, int maxLength)
    {
        if (value.Length == 0)
        {
            return "is empty (EMVCo fields are at least 1 character)";
        }
        if (value.Length > maxLength)
        {
            return $"has {value.Length} characters, more than {maxLength}";
        }
        int bad = value.AsSpan().IndexOfAnyExceptInRange(' ', '~');
        return bad >= 0 ? $"contains '{value[bad]}' (U+{(int)value[bad]:X4}) at {bad}; only printable ASCII is allowed, no diacritics" : null;
    }

    private static string? CheckAmount(Money amount) =>
        !amount.IsPositive ? $"{amount.Dong} must be positive"
        : amount >= AmountCeiling ? $"{amount.Dong} must be below {AmountCeiling.Dong} đồng (NAPAS247 cap)"
        : null;

    private static string ServiceCodeOf(VietQrService service) => service == VietQrService.ToCard ? ServiceCodeCard : ServiceCodeAccount;

    /// <summary>Reads a scanned or pasted payload; never throws on bad input.</summary>
    public static VietQrDecodeResult Decode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return VietQrDecodeResult.Refused(Empty, "The payload is empty.");
        }
        if (text.Length > MaxPayloadLength)
        {
            return VietQrDecodeResult.Refused(TooLong, $"The payload has {text.Length} characters; EMVCo allows {MaxPayloadLength}.");
        }

        // The CRC must be the last object, 6304 + 4 hex digits; checked first so that any corruption is reported as such.
        if (text.Length < 8 || !text.AsSpan(text.Length - 8, 4).SequenceEqual(CrcTag) || !IsHex(text.AsSpan(text.Length - 4)))
        {
            return VietQrDecodeResult.Refused(MissingCrc, "The payload does not end with the CRC object 6304 followed by 4 hex digits.");
        }
        string crcText = text[^4..];
        ushort found = ushort.Parse(crcText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        ushort computed = Crc16CcittFalse.Compute(text[..^4]);
        if (found != computed)
        {
            return VietQrDecodeResult.Refused(CrcMismatch, $"The CRC is {crcText} but the payload's CRC is {Crc16CcittFalse.ToHex(computed)}.");
        }
        List<string> warnings = [];
        if (crcText.Any(char.IsAsciiLetterLower))
        {
            warnings.Add("crc_lowercase");
        }

        int nonAscii = text.AsSpan().IndexOfAnyExceptInRange(' ', '~');
        if (nonAscii >= 0)
        {
            return VietQrDecodeResult.Refused(NonAscii,
                $"Character '{text[nonAscii]}' (U+{(int)text[nonAscii]:X4}) at offset {nonAscii} is not printable ASCII; VietQR text fields carry no diacritics.");
        }

        string body = text[..^8];
        if (!EmvTlv.TryRead(body, out var root, out string problem))
        {
            return VietQrDecodeResult.Refused(MalformedTlv, $"Top level: {problem}.");
        }
        root.Add(new TlvField("63", crcText));
        return DecodeFields(root, warnings);
    }

    private static VietQrDecodeResult DecodeFields(List<TlvField> root, List<string> warnings)
    {
        if (root[0] is not { Id: "00", Value: "01" })
        {
            return VietQrDecodeResult.Refused(BadPayloadFormat,
                $"The first object must be the payload format indicator 00 = \"01\"; found {root[0].Id} = \"{root[0].Value}\".");
        }
        if (FindDuplicate(root) is { } duplicateRoot)
        {
            return VietQrDecodeResult.Refused(DuplicateTag, $"Tag {duplicateRoot} appears more than once at the top level (63 must appear once, last).");
        }
        var tags = root.ToDictionary(f => f.Id, f => f.Value, StringComparer.Ordinal);

        PointOfInitiation pointOfInitiation;
        switch (tags.GetValueOrDefault("01"))
        {
            case "11":
                pointOfInitiation = PointOfInitiation.Static;
                break;
            case "12":
                pointOfInitiation = PointOfInitiation.Dynamic;
                break;
            case var other:
                return VietQrDecodeResult.Refused(BadPointOfInitiation, $"Tag 01 must be 11 or 12; found {Show(other)}.");
        }

        if (!tags.TryGetValue("38", out string? merchantAccount))
        {
            return VietQrDecodeResult.Refused(MissingMerchantAccount, "Tag 38 (NAPAS merchant account information) is missing.");
        }
        var beneficiary = DecodeMerchantAccount(merchantAccount, out string? bin, out string? account, out VietQrService service);
        if (beneficiary is not null)
        {
            return beneficiary;
        }

        string? mcc = tags.GetValueOrDefault("52");
        if (mcc is not null && (mcc.Length != 4 || !EmvTlv.IsDigits(mcc)))
        {
            return VietQrDecodeResult.Refused(BadMcc, $"Tag 52 must be 4 digits; found \"{mcc}\".");
        }
        if (tags.GetValueOrDefault("53") != CurrencyVnd)
        {
            return VietQrDecodeResult.Refused(BadCurrency, $"Tag 53 must be {CurrencyVnd} (VND); found {Show(tags.GetValueOrDefault("53"))}.");
        }

        Money? amount = null;
        if (tags.TryGetValue("54", out string? amountText))
        {
            if (ParseAmount(amountText) is not { } parsed)
            {
                return VietQrDecodeResult.Refused(BadAmount,
                    $"Tag 54 \"{amountText}\" is not a whole, non-zero number of đồng below {AmountCeiling.Dong} (digits, at most one trailing '.').");
            }
            amount = parsed;
        }
        else if (pointOfInitiation == PointOfInitiation.Dynamic)
        {
            return VietQrDecodeResult.Refused(AmountRequired, "A dynamic code (01 = 12) must carry an amount in tag 54.");
        }

        if (tags.GetValueOrDefault("58") != CountryVietnam)
        {
            return VietQrDecodeResult.Refused(BadCountry, $"Tag 58 must be VN; found {Show(tags.GetValueOrDefault("58"))}.");
        }
        string? merchantName = tags.GetValueOrDefault("59");
        if (merchantName is { Length: > MaxMerchantNameLength })
        {
            return VietQrDecodeResult.Refused(FieldTooLong, $"Tag 59 (merchant name) has {merchantName.Length} characters, more than {MaxMerchantNameLength}.");
        }
        string? merchantCity = tags.GetValueOrDefault("60");
        if (merchantCity is { Length: > MaxMerchantCityLength })
        {
            return VietQrDecodeResult.Refused(FieldTooLong, $"Tag 60 (merchant city) has {merchantCity.Length} characters, more than {MaxMerchantCityLength}.");
        }

        string? bill = null;
        string? purpose = null;
        if (tags.TryGetValue("62", out string? additional))
        {
            if (!EmvTlv.TryRead(additional, out var subfields, out string problem))
            {
                return VietQrDecodeResult.Refused(NestedLength, $"Tag 62 (additional data): {problem}.");
            }
            if (FindDuplicate(subfields) is { } duplicate)
            {
                return VietQrDecodeResult.Refused(DuplicateTag, $"Tag 62.{duplicate} appears more than once.");
            }
            foreach (var field in subfields)
            {
                int limit = field.Id switch
                {
                    "09" => 3,
                    _ when string.CompareOrdinal(field.Id, "08") <= 0 => MaxAdditionalDataLength,
                    _ => int.MaxValue,
                };
                if (field.Value.Length > limit)
                {
                    return VietQrDecodeResult.Refused(FieldTooLong, $"Tag 62.{field.Id} has {field.Value.Length} characters, more than {limit}.");
                }
            }
            bill = subfields.Find(f => f.Id == "01")?.Value;
            purpose = subfields.Find(f => f.Id == "08")?.Value;
        }

        var payload = new VietQrPayload
        {
            PointOfInitiation = pointOfInitiation,
            BankBin = bin!,
            AccountNumber = account!,
            ServiceCode = service,
            Amount = amount,
            Purpose = purpose,
            BillNumber = bill,
            MerchantCategoryCode = mcc,
            MerchantName = merchantName,
            MerchantCity = merchantCity,
        };
        return VietQrDecodeResult.Valid(payload, root, warnings);
    }

    /// <summary>Reads tag 38; null on success, else the refusal.</summary>
    private static VietQrDecodeResult? DecodeMerchantAccount(string value, out string? bin, out string? account, out VietQrService service)
    {
        bin = null;
        account = null;
        service = default;
        if (!EmvTlv.TryRead(value, out var fields, out string problem))
        {
            return VietQrDecodeResult.Refused(NestedLength, $"Tag 38 (merchant account): {problem}.");
        }
        if (FindDuplicate(fields) is { } duplicate)
        {
            return VietQrDecodeResult.Refused(DuplicateTag, $"Tag 38.{duplicate} appears more than once.");
        }
        string? guid = fields.Find(f => f.Id == "00")?.Value;
        if (!string.Equals(guid, NapasGuid, StringComparison.OrdinalIgnoreCase))
        {
            return VietQrDecodeResult.Refused(BadGuid, $"Tag 38.00 must be the NAPAS GUID {NapasGuid}; found {Show(guid)}.");
        }
        if (fields.Find(f => f.Id == "01")?.Value is not { } beneficiaryText)
        {
            return VietQrDecodeResult.Refused(BadAccount, "Tag 38.01 (beneficiary organization: BIN and account) is missing.");
        }
        if (!EmvTlv.TryRead(beneficiaryText, out var beneficiary, out problem))
        {
            return VietQrDecodeResult.Refused(NestedLength, $"Tag 38.01 (beneficiary): {problem}.");
        }
        if (FindDuplicate(beneficiary) is { } duplicateInner)
        {
            return VietQrDecodeResult.Refused(DuplicateTag, $"Tag 38.01.{duplicateInner} appears more than once.");
        }
        foreach (var field in beneficiary)
        {
            if (field.Id is "00" or "01")
            {
                continue;
            }
            return field.Id == "02" || field.Value.StartsWith("QRIBFT", StringComparison.Ordinal)
                ? VietQrDecodeResult.Refused(ServiceCodeMisplaced,
                    $"The service code \"{field.Value}\" is nested inside 38.01 as 38.01.{field.Id}; it belongs in 38.02.")
                : VietQrDecodeResult.Refused(UnexpectedSubtag, $"Tag 38.01 may hold only 00 (BIN) and 01 (account); found 38.01.{field.Id}.");
        }
        bin = beneficiary.Find(f => f.Id == "00")?.Value;
        if (bin is null || bin.Length != 6 || !EmvTlv.IsDigits(bin))
        {
            return VietQrDecodeResult.Refused(BadBin, $"Tag 38.01.00 must be a 6-digit BIN; found {Show(bin)}.");
        }
        account = beneficiary.Find(f => f.Id == "01")?.Value;
        if (account is null || account.Length > MaxAccountLength)
        {
            return VietQrDecodeResult.Refused(BadAccount, $"Tag 38.01.01 must be an account or card number of 1–{MaxAccountLength} characters; found {Show(account)}.");
        }
        switch (fields.Find(f => f.Id == "02")?.Value)
        {
            case ServiceCodeAccount:
                service = VietQrService.ToAccount;
                break;
            case ServiceCodeCard:
                service = VietQrService.ToCard;
                break;
            case var other:
                return VietQrDecodeResult.Refused(BadServiceCode, $"Tag 38.02 must be {ServiceCodeAccount} or {ServiceCodeCard}; found {Show(other)}.");
        }
        return null;
    }

    /// <summary>Tag 54: digits with at most one trailing '.', since VND has no decimals; non-zero; below the NAPAS cap.</summary>
    private static Money? ParseAmount(string text)
    {
        string digits = text.EndsWith('.') ? text[..^1] : text;
        if (text.Length > 13 || !EmvTlv.IsDigits(digits))
        {
            return null;
        }
        var amount = Money.Vnd(long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture));
        return CheckAmount(amount) is null ? amount : null;
    }

    private static string? FindDuplicate(List<TlvField> fields) =>
        fields.GroupBy(f => f.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    private static string Show(string? value) => value is null ? "nothing" : $"\"{value}\"";
}

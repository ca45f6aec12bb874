using System.Globalization;
using System.Text.Json;

namespace Fees.BankGateway.Providers;

/// <summary>
/// Reads provider JSON values against <see cref="BankTransactionLimits"/>, collecting a <see cref="FieldError"/> for each bad
/// one instead of throwing. A method returns <see langword="null"/> both for an absent optional value and for a refused one;
/// callers compare <see cref="ErrorCount"/> before and after reading a transaction to know which.
/// </summary>
internal sealed class FieldReader
{
    /// <summary>Vietnam has kept UTC+07:00 without daylight saving since 1975, so a local time maps to one instant.</summary>
    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    public const string VietnamLocalFormat = "yyyy-MM-dd HH:mm:ss";

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public int ErrorCount => _errors.Count;

    public static string Child(string parent, string name) => parent + "." + name;

    public static string Item(string parent, int index) => string.Create(CultureInfo.InvariantCulture, $"{parent}[{index}]");

    /// <summary>The property <paramref name="name"/> of an object, or an undefined element when absent or not an object.</summary>
    public static JsonElement Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? value : default;

    public static bool IsAbsent(JsonElement value) => value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    public void Fail(string path, string code, string reason, string reasonVietnamese) =>
        _errors.Add(new FieldError(path, code, reason, reasonVietnamese));

    public void Required(string path) =>
        Fail(path, FieldErrorCodes.Required, "The field is required.", "Thiếu trường bắt buộc.");

    public void WrongType(string path, string expected, string expectedVietnamese) =>
        Fail(path, FieldErrorCodes.WrongType, $"Expected {expected}.", $"Sai kiểu dữ liệu: cần {expectedVietnamese}.");

    /// <summary>A JSON object, or null after recording an error.</summary>
    public JsonElement? Object(JsonElement value, string path)
    {
        if (IsAbsent(value))
        {
            Required(path);
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            WrongType(path, "a JSON object", "một đối tượng JSON");
            return null;
        }
        return value;
    }

    /// <summary>
    /// A string of at most <paramref name="maxLength"/> characters. Absent or null: an error when
    /// <paramref name="required"/>, else <see langword="null"/>. With <paramref name="trim"/>, surrounding white space is
    /// removed and a blank string counts as absent.
    /// </summary>
    public string? String(JsonElement value, string path, int maxLength, bool required, bool trim)
    {
        if (IsAbsent(value))
        {
            if (required)
            {
                Required(path);
            }
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            WrongType(path, "a JSON string", "chuỗi ký tự");
            return null;
        }
        string? text = ReadString(value, path);
        if (text is null)
        {
            return null;
        }
        if (trim)
        {
            text = text.Trim();
            if (text.Length == 0)
            {
                if (required)
                {
                    Required(path);
                }
                return null;
            }
        }
        if (text.Length > maxLength)
        {
            Fail(path, FieldErrorCodes.TooLong,
                string.Create(CultureInfo.InvariantCulture, $"At most {maxLength} characters; got {text.Length}."),
                string.Create(CultureInfo.InvariantCulture, $"Dài quá {maxLength} ký tự (có {text.Length} ký tự)."));
            return null;
        }
        return text;
    }

    /// <summary>Transfer content: a string of at most 1,000 characters kept as given; absent or null reads as empty unless required.</summary>
    public string? Content(JsonElement value, string path, bool required)
    {
        if (IsAbsent(value) && !required)
        {
            return "";
        }
        return String(value, path, BankTransactionLimits.MaxContentLength, required, trim: false);
    }

    /// <summary>
    /// A transaction id: a string (trimmed, 1 to 100 characters, no control characters) or, when <paramref name="allowNumber"/>,
    /// a non-negative JSON integer, kept as its decimal text.
    /// </summary>
    public string? Id(JsonElement value, string path, bool required, bool allowNumber)
    {
        if (allowNumber && value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out long number) && number >= 0)
            {
                return number.ToString(CultureInfo.InvariantCulture);
            }
            Fail(path, FieldErrorCodes.OutOfRange, "A numeric id is a non-negative integer below 2^63.", "Mã giao dịch dạng số phải là số nguyên không âm.");
            return null;
        }
        if (allowNumber && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null or JsonValueKind.Undefined))
        {
            WrongType(path, "a JSON string or integer", "chuỗi ký tự hoặc số nguyên");
            return null;
        }
        string? text = String(value, path, BankTransactionLimits.MaxIdLength, required, trim: true);
        if (text is not null && text.Any(char.IsControl))
        {
            Fail(path, FieldErrorCodes.BadText, "An id may not contain control characters.", "Mã không được chứa ký tự điều khiển.");
            return null;
        }
        return text;
    }

    /// <summary>An account number: a string, trimmed, 1 to 19 characters <c>[0-9A-Z]</c>. A blank optional one is absent.</summary>
    public string? Account(JsonElement value, string path, bool required)
    {
        string? text = String(value, path, int.MaxValue, required, trim: true);
        if (text is null)
        {
            return null;
        }
        if (!BankTransactionLimits.IsValidAccount(text))
        {
            Fail(path, FieldErrorCodes.BadAccount, "An account number is 1 to 19 characters [0-9A-Z].", Fees.Domain.Banking.BankAccountNumber.ErrorText + ".");
            return null;
        }
        return text;
    }

    /// <summary>A NAPAS BIN: a string of exactly 6 digits.</summary>
    public string? Bin(JsonElement value, string path, bool required)
    {
        string? text = String(value, path, int.MaxValue, required, trim: true);
        if (text is null)
        {
            return null;
        }
        if (!BankTransactionLimits.IsValidBin(text))
        {
            Fail(path, FieldErrorCodes.BadBin, "A BIN is exactly 6 digits.", "Mã BIN ngân hàng phải gồm đúng 6 chữ số.");
            return null;
        }
        return text;
    }

    /// <summary>
    /// A signed amount: a JSON integer literal (no fraction, no exponent, not a string), not zero, |amount| in [1, 10^12).
    /// Negative means money out.
    /// </summary>
    public long? SignedAmount(JsonElement value, string path)
    {
        long? dong = Integer(value, path, required: true);
        if (dong is not { } amount)
        {
            return null;
        }
        if (amount == long.MinValue || !BankTransactionLimits.IsValidAmount(Math.Abs(amount)))
        {
            AmountOutOfRange(path, signed: true);
            return null;
        }
        return amount;
    }

    /// <summary>A positive amount: a JSON integer literal in [1, 10^12).</summary>
    public long? PositiveAmount(JsonElement value, string path)
    {
        long? dong = Integer(value, path, required: true);
        if (dong is not { } amount)
        {
            return null;
        }
        if (!BankTransactionLimits.IsValidAmount(amount))
        {
            AmountOutOfRange(path, signed: false);
            return null;
        }
        return amount;
    }

    /// <summary>An optional running balance: absent or null is <see langword="null"/>; else a JSON integer in (−10^15, 10^15).</summary>
    public long? Balance(JsonElement value, string path)
    {
        long? dong = Integer(value, path, required: false);
        if (dong is { } balance && !BankTransactionLimits.IsValidBalance(balance))
        {
            Fail(path, FieldErrorCodes.OutOfRange, "A balance is in (-10^15, 10^15) đồng.", "Số dư vượt quá giới hạn cho phép.");
            return null;
        }
        return dong;
    }

    /// <summary>
    /// A whole number of đồng written as a JSON number or as a string, with an optional all-zero fraction
    /// (<c>2277000</c>, <c>"2277000"</c>, <c>"2277000.00"</c>): how SePay's user API writes amounts. Below 10^15 in
    /// magnitude; negative only when <paramref name="allowNegative"/> (a balance).
    /// </summary>
    public long? WholeDong(JsonElement value, string path, bool required, bool allowNegative)
    {
        if (IsAbsent(value))
        {
            if (required)
            {
                Required(path);
            }
            return null;
        }
        string? text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => ReadString(value, path)?.Trim(),
            _ => null,
        };
        if (text is null)
        {
            if (value.ValueKind is not JsonValueKind.String)
            {
                WrongType(path, "a JSON number or numeric string", "số hoặc chuỗi chữ số");
            }
            return null;
        }
        bool negative = allowNegative && text.StartsWith('-');
        string unsigned = negative ? text[1..] : text;
        int dot = unsigned.IndexOf('.', StringComparison.Ordinal);
        string whole = dot < 0 ? unsigned : unsigned[..dot];
        bool zeroFraction = dot < 0 || (dot < unsigned.Length - 1 && unsigned[(dot + 1)..].All(c => c == '0'));
        if (whole.Length is 0 or > 15 || !whole.All(char.IsAsciiDigit) || !zeroFraction)
        {
            Fail(path, FieldErrorCodes.NotInteger,
                allowNegative ? "A whole number of đồng is expected (a zero fraction like .00 is allowed)." : "A whole, non-negative number of đồng is expected (a zero fraction like .00 is allowed).",
                allowNegative ? "Số tiền phải là số nguyên đồng." : "Số tiền phải là số nguyên đồng không âm.");
            return null;
        }
        long magnitude = long.Parse(whole, NumberStyles.None, CultureInfo.InvariantCulture);
        return negative ? -magnitude : magnitude;
    }

    /// <summary>
    /// A Vietnam local time <c>yyyy-MM-dd HH:mm:ss</c> read at UTC+07:00; with <paramref name="allowIso"/>, also an
    /// ISO 8601 instant with an explicit offset or <c>Z</c>.
    /// </summary>
    public DateTimeOffset? VietnamLocal(JsonElement value, string path, bool allowIso)
    {
        string? text = String(value, path, 64, required: true, trim: true);
        if (text is null)
        {
            return null;
        }
        DateTimeOffset? instant = null;
        if (DateTime.TryParseExact(text, VietnamLocalFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            instant = new DateTimeOffset(local, VietnamOffset);
        }
        else if (allowIso && TryParseIso(text, out var iso))
        {
            instant = iso;
        }
        return CheckDate(instant, path, allowIso ? "yyyy-MM-dd HH:mm:ss (Vietnam time) or ISO 8601 with an offset" : "yyyy-MM-dd HH:mm:ss (Vietnam time)",
            allowIso ? "yyyy-MM-dd HH:mm:ss (giờ Việt Nam) hoặc ISO 8601 có múi giờ" : "yyyy-MM-dd HH:mm:ss (giờ Việt Nam)");
    }

    /// <summary>An ISO 8601 instant with an explicit offset or <c>Z</c>: <c>2026-09-05T14:03:00+07:00</c>. A local time without offset is refused.</summary>
    public DateTimeOffset? IsoInstant(JsonElement value, string path)
    {
        string? text = String(value, path, 64, required: true, trim: true);
        if (text is null)
        {
            return null;
        }
        return CheckDate(TryParseIso(text, out var instant) ? instant : null, path,
            "ISO 8601 with an offset, e.g. 2026-09-05T14:03:00+07:00", "ISO 8601 có múi giờ, ví dụ 2026-09-05T14:03:00+07:00");
    }

    /// <summary><c>in</c> or <c>out</c>, exactly (SePay <c>transferType</c>, generic <c>direction</c>).</summary>
    public TransferDirection? Direction(JsonElement value, string path, bool required)
    {
        string? text = String(value, path, 16, required, trim: false);
        switch (text)
        {
            case null:
                return null;
            case "in":
                return TransferDirection.In;
            case "out":
                return TransferDirection.Out;
            default:
                Fail(path, FieldErrorCodes.BadDirection, "Expected \"in\" or \"out\".", "Loại giao dịch phải là \"in\" (tiền vào) hoặc \"out\" (tiền ra).");
                return null;
        }
    }

    private DateTimeOffset? CheckDate(DateTimeOffset? instant, string path, string format, string formatVietnamese)
    {
        if (instant is not { } value)
        {
            Fail(path, FieldErrorCodes.BadDate, $"Expected {format}.", $"Ngày giờ phải theo định dạng {formatVietnamese}.");
            return null;
        }
        if (!BankTransactionLimits.IsValidBookedAt(value))
        {
            Fail(path, FieldErrorCodes.BadDate, "A booking time lies in [2000-01-01, 2100-01-01).", "Ngày giờ giao dịch phải từ năm 2000 đến trước năm 2100.");
            return null;
        }
        return value;
    }

    private static bool TryParseIso(string text, out DateTimeOffset instant) =>
        DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);

    private long? Integer(JsonElement value, string path, bool required)
    {
        if (IsAbsent(value))
        {
            if (required)
            {
                Required(path);
            }
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            WrongType(path, "a JSON integer (not a string)", "số nguyên (không phải chuỗi)");
            return null;
        }
        if (value.TryGetInt64(out long number))
        {
            return number;
        }
        string raw = value.GetRawText();
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
        {
            Fail(path, FieldErrorCodes.NotInteger, "A whole number of đồng is expected: no fraction, no exponent.",
                "Số tiền phải là số nguyên đồng, không có phần thập phân.");
        }
        else
        {
            AmountOutOfRange(path, signed: raw.StartsWith('-'));
        }
        return null;
    }

    private void AmountOutOfRange(string path, bool signed) =>
        Fail(path, FieldErrorCodes.OutOfRange,
            signed ? "An amount is a non-zero integer with |amount| in [1, 10^12) đồng." : "An amount is an integer in [1, 10^12) đồng.",
            "Số tiền phải từ 1 đồng đến dưới 1.000 tỷ đồng.");

    private string? ReadString(JsonElement value, string path)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escaped unpaired surrogate (\ud800) cannot become a .NET string faithfully.
            Fail(path, FieldErrorCodes.BadText, "The string contains an unpaired surrogate escape.", "Chuỗi chứa ký tự không hợp lệ.");
            return null;
        }
    }
}

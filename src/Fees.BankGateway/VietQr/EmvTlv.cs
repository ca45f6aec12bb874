using System.Globalization;
using System.Text;

namespace Fees.BankGateway.VietQr;

/// <summary>
/// The EMVCo merchant-presented TLV layout: ID (2 digits), length (2 digits, 01–99, counted in characters), value.
/// </summary>
internal static class EmvTlv
{
    public static void Write(StringBuilder builder, string id, string value)
    {
        if (value.Length is < 1 or > 99)
        {
            throw new ArgumentException($"EMVCo field {id} must be 1–99 characters long, not {value.Length}.", nameof(value));
        }
        builder.Append(id).Append(value.Length.ToString("D2", CultureInfo.InvariantCulture)).Append(value);
    }

    public static string Template(params (string Id, string? Value)[] fields)
    {
        var builder = new StringBuilder();
        foreach (var (id, value) in fields)
        {
            if (value is not null)
            {
                Write(builder, id, value);
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// Splits <paramref name="text"/> into data objects that exactly cover it. Fails on a non-digit ID or length,
    /// a zero length, or a value that runs past the end.
    /// </summary>
    public static bool TryRead(string text, out List<TlvField> fields, out string problem)
    {
        fields = [];
        int position = 0;
        while (position < text.Length)
        {
            if (text.Length - position < 4)
            {
                problem = $"{text.Length - position} stray character(s) at offset {position}, too short for an ID and a length";
                return false;
            }
            string id = text.Substring(position, 2);
            string lengthText = text.Substring(position + 2, 2);
            if (!IsDigits(id) || !IsDigits(lengthText))
            {
                problem = $"'{id}{lengthText}' at offset {position} is not a 2-digit ID and a 2-digit length";
                return false;
            }
            int length = int.Parse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture);
            if (length == 0)
            {
                problem = $"field {id} at offset {position} has length 00";
                return false;
            }
            if (position + 4 + length > text.Length)
            {
                problem = $"field {id} at offset {position} declares {length} characters but only {text.Length - position - 4} remain";
                return false;
            }
            fields.Add(new TlvField(id, text.Substring(position + 4, length)));
            position += 4 + length;
        }
        problem = "";
        return true;
    }

    public static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);
}

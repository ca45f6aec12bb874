using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Fees.Domain.Receipts;

/// <summary>
/// The number of an electronic receipt (biên lai thu đảng phí): a sequence per receiving organization and calendar
/// year (Vietnam time) that starts at 1 each year and has no gaps, printed
/// <c>{number, 7 digits at least}/{year}/{organization code}</c>: <c>0000123/2026/HN.X001.B01.C01</c>.
/// </summary>
/// <remarks>
/// The organization code makes the number unique nationwide without a central counter; the year makes each
/// organization's yearly book of receipts start at 0000001, as paper receipt books do. The public identity of a receipt,
/// used by its verification address, is the triple (organization code, year, number).
/// </remarks>
public readonly record struct ReceiptNumber
{
    /// <summary>Digits the sequence number is padded to (wider numbers print in full).</summary>
    public const int Width = 7;

    /// <summary>The largest sequence number (what the database's <c>integer</c> holds).</summary>
    public const int MaxSequence = int.MaxValue;

    private ReceiptNumber(string orgCode, int year, int sequence)
    {
        OrgCode = orgCode;
        Year = year;
        Sequence = sequence;
    }

    public string OrgCode { get; }
    public int Year { get; }
    /// <summary>1, 2, 3… within the organization and year.</summary>
    public int Sequence { get; }

    public static ReceiptNumber Of(string orgCode, int year, int sequence)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orgCode);
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 2000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        return new ReceiptNumber(orgCode, year, sequence);
    }

    /// <summary>The sequence as printed: <c>0000123</c>.</summary>
    public string SequenceText => Sequence.ToString("D" + Width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a sequence exactly as <see cref="SequenceText"/> prints it: ASCII digits, at least <see cref="Width"/>, no
    /// other spelling of the same number (so one receipt has one address).
    /// </summary>
    public static bool TryParseSequence([NotNullWhen(true)] string? text, out int sequence)
    {
        sequence = 0;
        if (text is null || text.Length < Width || text.Length > 10 || !text.All(char.IsAsciiDigit)
            || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
        {
            return false;
        }
        if (value.ToString("D" + Width.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) != text)
        {
            return false;
        }
        sequence = value;
        return true;
    }

    /// <summary><c>0000123/2026/HN.X001.B01.C01</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{SequenceText}/{Year}/{OrgCode}");
}

using System.Diagnostics.CodeAnalysis;

namespace Fees.Domain.Banking;

/// <summary>
/// A bank account number as a VietQR code carries it (tag 38.01.01) and as contract §3 imports it: 1 to 19
/// characters, each a digit or an upper-case ASCII letter (<c>0071000962707</c>, <c>99ZP24009M07248267</c>).
/// </summary>
/// <remarks>
/// No normalisation happens here: spaces, dashes and lower case are refused rather than silently fixed, so that what is
/// stored is exactly what the bank issued. Equality is ordinal on <see cref="Value"/>.
/// Never log the full number (house style §13); use <see cref="Masked"/>.
/// </remarks>
public sealed record BankAccountNumber
{
    public const int MaxLength = 19;

    /// <summary>The office-facing refusal text.</summary>
    public const string ErrorText = "Số tài khoản chỉ gồm chữ số và chữ in hoa, tối đa 19 ký tự";

    private BankAccountNumber(string value) => Value = value;

    public string Value { get; }

    public static bool TryCreate(
        string? text,
        [NotNullWhen(true)] out BankAccountNumber? number,
        [NotNullWhen(false)] out string? error)
    {
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || !text.All(c => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z')))
        {
            number = null;
            error = ErrorText;
            return false;
        }
        number = new BankAccountNumber(text);
        error = null;
        return true;
    }

    /// <summary>Creates the number or throws <see cref="ArgumentException"/>; for values already validated.</summary>
    public static BankAccountNumber Create(string text) =>
        TryCreate(text, out var number, out string? error) ? number : throw new ArgumentException(error, nameof(text));

    /// <summary>All but the last four characters hidden (<c>*********2707</c>), for logs and pages.</summary>
    public string Masked => Value.Length <= 4 ? Value : new string('*', Value.Length - 4) + Value[^4..];

    public override string ToString() => Value;
}

using System.Diagnostics.CodeAnalysis;

namespace Fees.Domain.Banking;

/// <summary>
/// The account holder's name as the bank prints it (<c>CHI BO KHU PHO 3</c>): upper-case ASCII letters, digits, spaces
/// and simple punctuation (<c>. , - ' / &amp; ( )</c>), no diacritics, at most 50 characters, not blank.
/// </summary>
/// <remarks>
/// Banks hold names without diacritics; a name typed with them (<c>Chi bộ khu phố 3</c>) is refused with a message
/// that says so, and <see cref="Text.VietnameseText.StripDiacritics"/> gives the form to suggest.
/// </remarks>
public sealed record BankAccountName
{
    public const int MaxLength = 100;

    public const string ErrorEmpty = "Tên tài khoản không được để trống";
    public const string ErrorTooLong = "Tên tài khoản tối đa 100 ký tự";
    public const string ErrorCharacters =
        "Tên tài khoản viết in hoa không dấu, chỉ gồm chữ cái, chữ số, dấu cách và các dấu . , - ' / & ( )";

    private BankAccountName(string value) => Value = value;

    public string Value { get; }

    public static bool TryCreate(
        string? text,
        [NotNullWhen(true)] out BankAccountName? name,
        [NotNullWhen(false)] out string? error)
    {
        name = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = ErrorEmpty;
            return false;
        }
        if (text.Length > MaxLength)
        {
            error = ErrorTooLong;
            return false;
        }
        if (!text.All(IsAllowed))
        {
            error = ErrorCharacters;
            return false;
        }
        name = new BankAccountName(text);
        error = null;
        return true;
    }

    public static BankAccountName Create(string text) =>
        TryCreate(text, out var name, out string? error) ? name : throw new ArgumentException(error, nameof(text));

    private static bool IsAllowed(char c) =>
        c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or ' ' or '.' or ',' or '-' or '\'' or '/' or '&' or '(' or ')';

    public override string ToString() => Value;
}

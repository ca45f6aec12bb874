using Fees.Domain.Banking;

namespace Fees.BankGateway.Providers;

/// <summary>
/// Every bound a <see cref="BankTransaction"/> obeys, in one place: adapters refuse a provider's field against these
/// (a field error, HTTP 400), and <see cref="BankTransaction"/>'s setters throw on them (a bug). Lengths are in UTF-16
/// code units (<see cref="string.Length"/>); text longer than a bound is refused, never truncated.
/// </summary>
public static class BankTransactionLimits
{
    /// <summary>Longest provider transaction id or bank reference: 100 characters.</summary>
    public const int MaxIdLength = 100;

    /// <summary>Longest transfer content or raw description: 1,000 characters (banks send at most a few hundred).</summary>
    public const int MaxContentLength = 1000;

    /// <summary>Longest account or sub-account number: 19 characters <c>[0-9A-Z]</c>, as <see cref="BankAccountNumber"/>.</summary>
    public const int MaxAccountLength = BankAccountNumber.MaxLength;

    /// <summary>Longest counterparty name: 200 characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>
    /// Longest counterparty account: 50 characters of any text. It is informational (banks mask or format it:
    /// <c>0071****707</c>), so it is not held to the 19-character <c>[0-9A-Z]</c> rule of our own accounts.
    /// </summary>
    public const int MaxCounterpartyAccountLength = 50;

    /// <summary>Smallest amount: 1 đồng. A zero-amount transfer is refused.</summary>
    public const long MinAmountDong = 1;

    /// <summary>Amounts are below 10^12 đồng (1,000 tỷ): far above any NAPAS or internal transfer, far below overflow.</summary>
    public const long AmountCeilingDong = 1_000_000_000_000;

    /// <summary>A running balance lies strictly between −10^15 and 10^15 đồng.</summary>
    public const long BalanceCeilingDong = 1_000_000_000_000_000;

    /// <summary>Earliest booking instant accepted: 2000-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset EarliestBookedAt = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Booking instants are before 2100-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset BookedAtCeiling = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>1 ≤ <paramref name="dong"/> &lt; 10^12.</summary>
    public static bool IsValidAmount(long dong) => dong is >= MinAmountDong and < AmountCeilingDong;

    /// <summary>−10^15 &lt; <paramref name="dong"/> &lt; 10^15.</summary>
    public static bool IsValidBalance(long dong) => dong is > -BalanceCeilingDong and < BalanceCeilingDong;

    /// <summary>1 to 19 characters, each a digit or an upper-case ASCII letter (no trimming here: trim first).</summary>
    public static bool IsValidAccount(string? account) => BankAccountNumber.TryCreate(account, out _, out _);

    /// <summary>Exactly 6 ASCII digits.</summary>
    public static bool IsValidBin(string? bin) => bin is { Length: 6 } && bin.All(char.IsAsciiDigit);

    /// <summary>1 to 100 characters, no control characters, no leading or trailing white space.</summary>
    public static bool IsValidId(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxIdLength && !id.Any(char.IsControl) && id.Trim().Length == id.Length;

    /// <summary>In [2000-01-01, 2100-01-01) UTC.</summary>
    public static bool IsValidBookedAt(DateTimeOffset instant) => instant >= EarliestBookedAt && instant < BookedAtCeiling;
}

using Fees.Domain.Amounts;

namespace Fees.BankGateway.Providers;

/// <summary>
/// One movement on a bank account, as a provider reported it, verified and normalized. The unit the API layer stores
/// (beside the raw body) and the matcher reads. Every instance obeys <see cref="BankTransactionLimits"/>: each setter
/// throws <see cref="ArgumentException"/> on a value out of bounds, so an invalid transaction is a bug, not data.
/// </summary>
/// <remarks>
/// <para>Identity: (<see cref="Provider"/>, <see cref="TransactionId"/>) is the dedupe key (a unique index). The same
/// transfer seen by two providers has two keys; <see cref="BankReference"/> with <see cref="AccountNumber"/> is what
/// recognises it.</para>
/// <para>Equality is by value over every property (record semantics). There is no meaningful default instance: every
/// required property must be set.</para>
/// </remarks>
public sealed record BankTransaction
{
    /// <summary>The provider code (<see cref="BankProviderCodes"/>): 1 to 20 characters <c>[a-z0-9-]</c>.</summary>
    public required string Provider
    {
        get;
        init => field = value is { Length: >= 1 and <= 20 } && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? value
            : throw new ArgumentException("A provider code is 1 to 20 characters [a-z0-9-].", nameof(Provider));
    }

    /// <summary>
    /// The provider's own id of the transaction, as text (SePay and Casso send integers: <c>92704</c> becomes <c>"92704"</c>):
    /// the dedupe key within <see cref="Provider"/>. 1 to 100 characters, no control characters, no surrounding spaces.
    /// </summary>
    public required string TransactionId
    {
        get;
        init => field = BankTransactionLimits.IsValidId(value)
            ? value
            : throw new ArgumentException("A transaction id is 1 to 100 characters, trimmed, without control characters.", nameof(TransactionId));
    }

    /// <summary>
    /// The bank's own reference (SePay <c>referenceCode</c>, Casso <c>reference</c>/<c>tid</c>, e.g. <c>MBVCB.3278907687</c>,
    /// <c>FT24123456789</c>), or <see langword="null"/> when the provider gave none. Same rules as <see cref="TransactionId"/>.
    /// </summary>
    public string? BankReference
    {
        get;
        init => field = value is null || BankTransactionLimits.IsValidId(value)
            ? value
            : throw new ArgumentException("A bank reference is null or 1 to 100 characters, trimmed, without control characters.", nameof(BankReference));
    }

    /// <summary>
    /// The 6-digit NAPAS BIN of the account's bank when known, else <see langword="null"/>. The generic feed sends it;
    /// SePay and Casso send a bank name, resolved by <see cref="ProviderBankNames"/> only when the match is unambiguous.
    /// </summary>
    public string? BankBin
    {
        get;
        init => field = value is null || BankTransactionLimits.IsValidBin(value)
            ? value
            : throw new ArgumentException("A BIN is null or exactly 6 digits.", nameof(BankBin));
    }

    /// <summary>The account the money moved on (ours): 1 to 19 characters <c>[0-9A-Z]</c>. Never log it whole.</summary>
    public required string AccountNumber
    {
        get;
        init => field = BankTransactionLimits.IsValidAccount(value)
            ? value
            : throw new ArgumentException("An account number is 1 to 19 characters [0-9A-Z].", nameof(AccountNumber));
    }

    /// <summary>A virtual or sub-account under <see cref="AccountNumber"/> (SePay <c>subAccount</c>), or <see langword="null"/>. Same rules.</summary>
    public string? SubAccount
    {
        get;
        init => field = value is null || BankTransactionLimits.IsValidAccount(value)
            ? value
            : throw new ArgumentException("A sub-account is null or 1 to 19 characters [0-9A-Z].", nameof(SubAccount));
    }

    /// <summary>Money in or out of <see cref="AccountNumber"/>.</summary>
    public required TransferDirection Direction
    {
        get;
        init => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentException("The direction is In or Out.", nameof(Direction));
    }

    /// <summary>The amount moved, always positive: 1 ≤ đồng &lt; 10^12. The sign is in <see cref="Direction"/>.</summary>
    public required Money Amount
    {
        get;
        init => field = BankTransactionLimits.IsValidAmount(value.Dong)
            ? value
            : throw new ArgumentException("An amount is a whole number of đồng in [1, 10^12).", nameof(Amount));
    }

    /// <summary>The amount with its sign: positive for <see cref="TransferDirection.In"/>, negative for <see cref="TransferDirection.Out"/>.</summary>
    public Money SignedAmount => Direction == TransferDirection.In ? Amount : -Amount;

    /// <summary>
    /// The transfer content exactly as the bank gave it (SePay <c>content</c>, Casso <c>description</c>): not trimmed, not
    /// folded; possibly empty (some apps send none). At most 1,000 characters.
    /// </summary>
    public required string Content
    {
        get;
        init => field = value is { Length: <= BankTransactionLimits.MaxContentLength }
            ? value
            : throw new ArgumentException("Content is not null and at most 1000 characters.", nameof(Content));
    }

    /// <summary>
    /// The bank's full statement line when the provider sends it separately from <see cref="Content"/> (SePay
    /// <c>description</c>), else <see langword="null"/>. At most 1,000 characters.
    /// </summary>
    public string? RawDescription
    {
        get;
        init => field = value is null or { Length: <= BankTransactionLimits.MaxContentLength }
            ? value
            : throw new ArgumentException("A raw description is null or at most 1000 characters.", nameof(RawDescription));
    }

    /// <summary>
    /// When the bank booked the transaction, as an instant. Providers that send a local time without offset (SePay
    /// <c>transactionDate</c>, Casso <c>when</c>) are read as Vietnam time, UTC+07:00. In [2000-01-01, 2100-01-01) UTC.
    /// </summary>
    public required DateTimeOffset BookedAt
    {
        get;
        init => field = BankTransactionLimits.IsValidBookedAt(value)
            ? value
            : throw new ArgumentException("The booking instant is in [2000-01-01, 2100-01-01) UTC.", nameof(BookedAt));
    }

    /// <summary>The other party's name as the bank printed it, or <see langword="null"/>. At most 200 characters. Personal data: do not log.</summary>
    public string? CounterpartyName
    {
        get;
        init => field = value is null or { Length: >= 1 and <= BankTransactionLimits.MaxNameLength }
            ? value
            : throw new ArgumentException("A counterparty name is null or 1 to 200 characters.", nameof(CounterpartyName));
    }

    /// <summary>The other party's account as the bank printed it (possibly masked), or <see langword="null"/>. At most 50 characters.</summary>
    public string? CounterpartyAccount
    {
        get;
        init => field = value is null or { Length: >= 1 and <= BankTransactionLimits.MaxCounterpartyAccountLength }
            ? value
            : throw new ArgumentException("A counterparty account is null or 1 to 50 characters.", nameof(CounterpartyAccount));
    }

    /// <summary>
    /// The account balance right after this transaction, as the provider reported it (SePay <c>accumulated</c>, Casso
    /// <c>runningBalance</c>/<c>cusum_balance</c>), or <see langword="null"/>. Informational: never posted. In (−10^15, 10^15) đồng.
    /// </summary>
    public Money? RunningBalance
    {
        get;
        init => field = value is not { } balance || BankTransactionLimits.IsValidBalance(balance.Dong)
            ? value
            : throw new ArgumentException("A running balance is in (-10^15, 10^15) đồng.", nameof(RunningBalance));
    }
}

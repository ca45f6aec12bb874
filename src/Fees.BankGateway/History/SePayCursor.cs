namespace Fees.BankGateway.History;

/// <summary>
/// Where a SePay history poll resumes: the account polled and the highest SePay transaction id already delivered.
/// </summary>
/// <remarks>Equality is by value. Store it as JSON beside the transactions; <see cref="Start"/> begins from the first row.</remarks>
public sealed record SePayCursor
{
    /// <summary>The account polled (<c>account_number</c>), or <see langword="null"/> for every account the token sees.</summary>
    public string? AccountNumber { get; init; }

    /// <summary>The highest id delivered so far; 0 before the first. Never negative.</summary>
    public long LastId
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(LastId), "LastId is never negative.");
    }

    /// <summary>A cursor before the first row of <paramref name="accountNumber"/>.</summary>
    public static SePayCursor Start(string? accountNumber) => new() { AccountNumber = accountNumber, LastId = 0 };
}

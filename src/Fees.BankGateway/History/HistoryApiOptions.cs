using System.ComponentModel.DataAnnotations;
using Fees.BankGateway.Providers;

namespace Fees.BankGateway.History;

/// <summary>Settings every provider's history API shares: where it is, which accounts to poll, how to retry.</summary>
public abstract class HistoryApiOptions : IValidatableObject
{
    /// <summary>
    /// The API's base address. A path is kept as a prefix (<c>http://127.0.0.1:5090/sepay/</c> serves
    /// <c>/sepay/userapi/transactions/list</c>), which is how a fake bank can serve several providers.
    /// </summary>
    [Required]
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Our account numbers to poll (1 to 19 characters <c>[0-9A-Z]</c> each). Empty (the default): every account the
    /// provider account sees. Never log them whole.
    /// </summary>
    public List<string> Accounts { get; set; } = [];

    /// <summary>
    /// Retries after a transient failure (5xx, 408, 429, a timeout, a connection error) by the standard resilience
    /// handler; 4xx other than 408/429 are never retried. In [0, 10]; default 3.
    /// </summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>
    /// Base delay of the exponential, jittered back-off between retries (a <c>Retry-After</c> header wins). In
    /// [0, 1 minute]; default 2 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether the credential the API needs is set; without it the history client answers <see cref="HistoryFailureKind.NotConfigured"/>.</summary>
    public abstract bool IsConfigured { get; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseAddress is { IsAbsoluteUri: false })
        {
            yield return new ValidationResult("BaseAddress must be an absolute URI.", [nameof(BaseAddress)]);
        }
        if (Accounts.Any(a => !BankTransactionLimits.IsValidAccount(a)))
        {
            yield return new ValidationResult("Every account is 1 to 19 characters [0-9A-Z].", [nameof(Accounts)]);
        }
    }
}

namespace Fees.BankGateway.History;

/// <summary>Why a history call produced no (or only part of its) transactions. Every kind is retried later by the poller.</summary>
public enum HistoryFailureKind
{
    /// <summary>No credential is configured for this provider's history API; nothing was sent.</summary>
    NotConfigured = 1,

    /// <summary>No HTTP response after the retries: connection refused, DNS failure, a timeout, an open circuit.</summary>
    Unreachable = 2,

    /// <summary>401 or 403: the token or key is wrong or revoked. Not retried.</summary>
    Unauthorized = 3,

    /// <summary>429 after the retries.</summary>
    RateLimited = 4,

    /// <summary>A 5xx (or 408) after the retries.</summary>
    ProviderUnavailable = 5,

    /// <summary>Another 4xx: the request itself is wrong (a bug or an API change). Not retried.</summary>
    Rejected = 6,

    /// <summary>A 2xx whose body is not the documented shape.</summary>
    MalformedResponse = 7,

    /// <summary>A 2xx whose body reports an error (SePay <c>status</c> ≠ 200 or <c>success</c> false; Casso <c>error</c> ≠ 0).</summary>
    ProviderError = 8,

    /// <summary>A row breaks <see cref="Providers.BankTransactionLimits"/>; <see cref="HistoryFailure.FieldErrors"/> names it. The cursor stops before it.</summary>
    InvalidTransaction = 9,

    /// <summary>
    /// SePay sent a full page not in ascending id order (advancing could skip rows), or a full page with nothing after the
    /// cursor (asking again would loop): the cursor does not move.
    /// </summary>
    UnexpectedOrder = 10,
}

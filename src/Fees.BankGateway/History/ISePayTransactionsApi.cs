using Refit;

namespace Fees.BankGateway.History;

/// <summary>SePay's user API, transaction list. Use <see cref="SePayHistory"/> rather than calling it directly.</summary>
public interface ISePayTransactionsApi
{
    /// <summary>
    /// <c>GET /userapi/transactions/list?account_number=&amp;since_id=&amp;limit=</c> with <c>Authorization: Bearer &lt;token&gt;</c>.
    /// A null <paramref name="accountNumber"/> or <paramref name="sinceId"/> leaves that parameter out.
    /// </summary>
    /// <remarks>
    /// [U] Assumed semantics (the fake bank serves exactly these): rows with <c>id &gt; since_id</c>, in ascending id order,
    /// at most <c>limit</c> of them. <see cref="SePayHistory"/> defends against an inclusive <c>since_id</c> and against a
    /// full page in another order (it refuses to advance rather than skip rows).
    /// </remarks>
    [Get("/userapi/transactions/list")]
    Task<IApiResponse<SePayTransactionsResponse>> ListTransactionsAsync(
        [Authorize("Bearer")] string apiToken,
        [AliasAs("account_number")] string? accountNumber,
        [AliasAs("since_id")] long? sinceId,
        [AliasAs("limit")] int limit,
        CancellationToken cancellationToken);
}

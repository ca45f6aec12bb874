using Refit;

namespace Fees.BankGateway.History;

/// <summary>Casso's transaction API. Use <see cref="CassoHistory"/> rather than calling it directly.</summary>
public interface ICassoTransactionsApi
{
    /// <summary>
    /// <c>GET /v2/transactions?fromDate=yyyy-MM-dd&amp;toDate=yyyy-MM-dd&amp;page=&amp;pageSize=&amp;sort=ASC</c> with
    /// <c>Authorization: Apikey &lt;key&gt;</c>. Pages are numbered from 1.
    /// </summary>
    /// <remarks>[U] Assumed: the dates are Vietnam calendar days, inclusive, filtering on <c>when</c>.</remarks>
    [Get("/v2/transactions")]
    Task<IApiResponse<CassoTransactionsResponse>> ListTransactionsAsync(
        [Authorize("Apikey")] string apiKey,
        [AliasAs("fromDate")] string fromDate,
        [AliasAs("toDate")] string toDate,
        [AliasAs("page")] int page,
        [AliasAs("pageSize")] int pageSize,
        [AliasAs("sort")] string sort,
        CancellationToken cancellationToken);
}

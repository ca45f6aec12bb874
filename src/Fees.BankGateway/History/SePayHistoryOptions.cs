using System.ComponentModel.DataAnnotations;

namespace Fees.BankGateway.History;

/// <summary><c>Bank:Providers:sepay:History</c>: SePay's user API (<c>GET /userapi/transactions/list</c>).</summary>
public sealed class SePayHistoryOptions : HistoryApiOptions
{
    public SePayHistoryOptions() => BaseAddress = new Uri("https://my.sepay.vn/");

    /// <summary>
    /// <c>Bank:Providers:sepay:History:ApiToken</c>: the user-API token, sent as <c>Authorization: Bearer &lt;token&gt;</c>.
    /// Default none: history polling is off.
    /// </summary>
    public string? ApiToken { get; set; }

    /// <summary>Rows asked for per call (<c>limit</c>). In [2, 5000] (SePay's documented ceiling is 5000); default 100.</summary>
    [Range(2, 5000)]
    public int PageSize { get; set; } = 100;

    public override bool IsConfigured => !string.IsNullOrWhiteSpace(ApiToken);
}

using System.ComponentModel.DataAnnotations;

namespace Fees.BankGateway.History;

/// <summary><c>Bank:Providers:casso:History</c>: Casso's API (<c>GET /v2/transactions</c>).</summary>
public sealed class CassoHistoryOptions : HistoryApiOptions
{
    public CassoHistoryOptions() => BaseAddress = new Uri("https://oauth.casso.vn/");

    /// <summary>
    /// <c>Bank:Providers:casso:History:ApiKey</c>: the API key, sent as <c>Authorization: Apikey &lt;key&gt;</c>.
    /// Default none: history polling is off.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Records asked for per page (<c>pageSize</c>). In [1, 1000]; default 100. [U] Casso's own ceiling is not verified.</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// How long after a Vietnam-time day ends before it counts as settled: banks post late, so a day is read once more
    /// from page 1 after this delay and only then left behind. In [0, 2 days]; default 3 hours.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "2.00:00:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromHours(3);

    public override bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey);
}

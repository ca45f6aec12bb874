using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fees.BankGateway.History;

/// <summary>
/// The body of Casso's <c>GET /v2/transactions</c>:
/// <c>{"error":0,"message":"success","data":{"page":1,"pageSize":100,"nextPage":2,"prevPage":0,"totalPages":3,"totalRecords":250,"records":[…]}}</c>
/// (example in <c>Providers/README.md</c>).
/// </summary>
/// <remarks>[U] Shape from Casso's developer documentation as copied into public integrations; not verified live.</remarks>
public sealed class CassoTransactionsResponse
{
    /// <summary><c>0</c> on success; anything else is a provider error described by <see cref="Message"/>.</summary>
    [JsonPropertyName("error")]
    public int? Error { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }

    [JsonPropertyName("data")]
    public CassoTransactionPage? Data { get; init; }
}

/// <summary>One page of Casso transactions. Pages are numbered from 1.</summary>
public sealed class CassoTransactionPage
{
    [JsonPropertyName("page")]
    public int? Page { get; init; }

    [JsonPropertyName("pageSize")]
    public int? PageSize { get; init; }

    /// <summary>The next page number; not relied on (its value on the last page is not documented). <see cref="TotalPages"/> decides.</summary>
    [JsonPropertyName("nextPage")]
    public int? NextPage { get; init; }

    [JsonPropertyName("prevPage")]
    public int? PrevPage { get; init; }

    /// <summary>How many pages the query has; decides whether another page follows. When absent, a full page means "maybe more".</summary>
    [JsonPropertyName("totalPages")]
    public int? TotalPages { get; init; }

    [JsonPropertyName("totalRecords")]
    public int? TotalRecords { get; init; }

    /// <summary>The records, in the order asked for (<c>sort=ASC</c>: oldest first).</summary>
    [JsonPropertyName("records")]
    public List<CassoHistoryRecord>? Records { get; init; }
}

/// <summary>
/// One Casso transaction record. Values are kept as raw JSON and checked field by field when mapped, so one bad record is
/// reported with its path (<c>$.data.records[2].amount</c>) instead of failing the page.
/// </summary>
/// <remarks>
/// [U] Assumed: <c>id</c> is the same Casso id the webhooks send, so the channels share one dedupe key; <c>when</c> is
/// <c>yyyy-MM-dd HH:mm:ss</c> Vietnam time; a negative <c>amount</c> is money out; the counterparty fields are named
/// <c>corresponsive*</c> as in the legacy webhook; <c>bankCodeName</c> names the bank.
/// </remarks>
[JsonConverter(typeof(CassoHistoryRecordConverter))]
public sealed class CassoHistoryRecord
{
    /// <summary>The record's JSON text exactly as the response carried it.</summary>
    [JsonIgnore]
    public string RawJson { get; init; } = "";

    [JsonPropertyName("id")]
    public JsonElement Id { get; init; }

    /// <summary>The bank's reference.</summary>
    [JsonPropertyName("tid")]
    public JsonElement Tid { get; init; }

    /// <summary>The transfer content.</summary>
    [JsonPropertyName("description")]
    public JsonElement Description { get; init; }

    /// <summary>Whole đồng; negative = money out.</summary>
    [JsonPropertyName("amount")]
    public JsonElement Amount { get; init; }

    /// <summary>The balance after the transaction, whole đồng.</summary>
    [JsonPropertyName("cusumBalance")]
    public JsonElement CusumBalance { get; init; }

    /// <summary>When the bank booked it.</summary>
    [JsonPropertyName("when")]
    public JsonElement When { get; init; }

    /// <summary>The booking date. Not used (<see cref="When"/> is).</summary>
    [JsonPropertyName("bookingDate")]
    public JsonElement BookingDate { get; init; }

    /// <summary>Our account number.</summary>
    [JsonPropertyName("bankSubAccId")]
    public JsonElement BankSubAccId { get; init; }

    [JsonPropertyName("virtualAccount")]
    public JsonElement VirtualAccount { get; init; }

    [JsonPropertyName("corresponsiveName")]
    public JsonElement CorresponsiveName { get; init; }

    [JsonPropertyName("corresponsiveAccount")]
    public JsonElement CorresponsiveAccount { get; init; }

    [JsonPropertyName("bankCodeName")]
    public JsonElement BankCodeName { get; init; }
}

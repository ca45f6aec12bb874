using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fees.BankGateway.History;

/// <summary>
/// The body of SePay's <c>GET /userapi/transactions/list</c>:
/// <c>{"status":200,"error":null,"messages":{"success":true},"transactions":[…]}</c> (example in <c>Providers/README.md</c>).
/// </summary>
/// <remarks>
/// [U] The field names come from SePay's user-API documentation as copied into public integrations; they are not
/// verified against the live API. A classes-not-records choice: a generated <c>ToString</c> would print account numbers.
/// </remarks>
public sealed class SePayTransactionsResponse
{
    /// <summary>HTTP-like status in the body; <c>200</c> on success. Anything else is a provider error.</summary>
    [JsonPropertyName("status")]
    public int? Status { get; init; }

    /// <summary>Error detail, <c>null</c> on success; its shape is not documented, so it is kept raw.</summary>
    [JsonPropertyName("error")]
    public JsonElement Error { get; init; }

    /// <summary><c>{"success": true}</c> on success.</summary>
    [JsonPropertyName("messages")]
    public SePayMessages? Messages { get; init; }

    /// <summary>The rows; required on success (an empty array when nothing is new).</summary>
    [JsonPropertyName("transactions")]
    public List<SePayHistoryTransaction>? Transactions { get; init; }
}

/// <summary>The <c>messages</c> object of a SePay user-API answer.</summary>
public sealed class SePayMessages
{
    [JsonPropertyName("success")]
    public bool? Success { get; init; }
}

/// <summary>
/// One row of SePay's transaction list. Each value is kept as raw JSON and checked field by field when mapped, so one bad
/// row is reported with its JSON path (<c>$.transactions[3].amount_in</c>) instead of failing the whole page.
/// </summary>
/// <remarks>
/// SePay writes ids and amounts as strings with a zero fraction (<c>"id": "49330"</c>, <c>"amount_in": "2277000.00"</c>);
/// numbers are accepted too. [U] Assumed: <c>id</c> is the same SePay transaction id the webhook sends as <c>id</c>, so
/// the two channels share one dedupe key.
/// </remarks>
[JsonConverter(typeof(SePayHistoryTransactionConverter))]
public sealed class SePayHistoryTransaction
{
    /// <summary>The record's JSON text exactly as the response carried it.</summary>
    [JsonIgnore]
    public string RawJson { get; init; } = "";

    /// <summary>SePay's transaction id: digits, as a string or a number. The cursor (<see cref="SePayCursor.LastId"/>).</summary>
    [JsonPropertyName("id")]
    public JsonElement Id { get; init; }

    /// <summary>The bank's name (<c>Vietcombank</c>, <c>MBBank</c>).</summary>
    [JsonPropertyName("bank_brand_name")]
    public JsonElement BankBrandName { get; init; }

    /// <summary>Our account number.</summary>
    [JsonPropertyName("account_number")]
    public JsonElement AccountNumber { get; init; }

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c>, Vietnam time.</summary>
    [JsonPropertyName("transaction_date")]
    public JsonElement TransactionDate { get; init; }

    /// <summary>Money out, whole đồng (<c>"0.00"</c> for money in).</summary>
    [JsonPropertyName("amount_out")]
    public JsonElement AmountOut { get; init; }

    /// <summary>Money in, whole đồng (<c>"0.00"</c> for money out).</summary>
    [JsonPropertyName("amount_in")]
    public JsonElement AmountIn { get; init; }

    /// <summary>The balance after the transaction, whole đồng.</summary>
    [JsonPropertyName("accumulated")]
    public JsonElement Accumulated { get; init; }

    /// <summary>The transfer content.</summary>
    [JsonPropertyName("transaction_content")]
    public JsonElement TransactionContent { get; init; }

    /// <summary>The bank's reference (<c>MBVCB.3278907687</c>, <c>FT…</c>).</summary>
    [JsonPropertyName("reference_number")]
    public JsonElement ReferenceNumber { get; init; }

    /// <summary>SePay's extracted payment code, or <c>null</c>. Not used: our matcher reads the content.</summary>
    [JsonPropertyName("code")]
    public JsonElement Code { get; init; }

    /// <summary>The virtual or sub-account, or <c>null</c>.</summary>
    [JsonPropertyName("sub_account")]
    public JsonElement SubAccount { get; init; }

    /// <summary>SePay's id of the bank account. Not used.</summary>
    [JsonPropertyName("bank_account_id")]
    public JsonElement BankAccountId { get; init; }
}

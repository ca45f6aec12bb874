using System.Text.Json.Serialization;

namespace Fees.BankGateway.History;

/// <summary>
/// Source-generated JSON metadata for the history responses, so the Refit clients read JSON without reflection. Property
/// names are exactly the <c>[JsonPropertyName]</c>s (case-sensitive); unknown properties are ignored; numbers are not read
/// from strings here (the mapping layer decides, field by field).
/// </summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(SePayTransactionsResponse))]
[JsonSerializable(typeof(CassoTransactionsResponse))]
public sealed partial class HistoryJsonContext : JsonSerializerContext;

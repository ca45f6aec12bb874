using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fees.BankGateway.History;

/// <summary>
/// Reads one history record (a SePay row, a Casso record) keeping its JSON text exactly as received
/// (<see cref="JsonElement.GetRawText"/>) beside the fields, so the inbox can store what the provider sent. The fields are
/// the record's properties by exact, case-sensitive name (a repeated name: the last one, as the serializer would take);
/// anything else in the record is ignored; a record that is not an object fails the page, as before.
/// </summary>
internal static class RawRecord
{
    public static JsonElement Parse(ref Utf8JsonReader reader, string what, out string raw)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var element = document.RootElement;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"A {what} is a JSON object.");
        }
        raw = element.GetRawText();
        return element.Clone();
    }

    /// <summary>The property's value, or an undefined element (as an absent property deserializes) when it is missing.</summary>
    public static JsonElement Field(JsonElement record, string name) => record.TryGetProperty(name, out var value) ? value : default;
}

/// <summary>Reads a <see cref="SePayHistoryTransaction"/> with its raw JSON.</summary>
internal sealed class SePayHistoryTransactionConverter : JsonConverter<SePayHistoryTransaction>
{
    public override SePayHistoryTransaction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var r = RawRecord.Parse(ref reader, "SePay transaction row", out string raw);
        return new SePayHistoryTransaction
        {
            RawJson = raw,
            Id = RawRecord.Field(r, "id"),
            BankBrandName = RawRecord.Field(r, "bank_brand_name"),
            AccountNumber = RawRecord.Field(r, "account_number"),
            TransactionDate = RawRecord.Field(r, "transaction_date"),
            AmountOut = RawRecord.Field(r, "amount_out"),
            AmountIn = RawRecord.Field(r, "amount_in"),
            Accumulated = RawRecord.Field(r, "accumulated"),
            TransactionContent = RawRecord.Field(r, "transaction_content"),
            ReferenceNumber = RawRecord.Field(r, "reference_number"),
            Code = RawRecord.Field(r, "code"),
            SubAccount = RawRecord.Field(r, "sub_account"),
            BankAccountId = RawRecord.Field(r, "bank_account_id"),
        };
    }

    public override void Write(Utf8JsonWriter writer, SePayHistoryTransaction value, JsonSerializerOptions options) =>
        throw new NotSupportedException("History records are only read.");
}

/// <summary>Reads a <see cref="CassoHistoryRecord"/> with its raw JSON.</summary>
internal sealed class CassoHistoryRecordConverter : JsonConverter<CassoHistoryRecord>
{
    public override CassoHistoryRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var r = RawRecord.Parse(ref reader, "Casso record", out string raw);
        return new CassoHistoryRecord
        {
            RawJson = raw,
            Id = RawRecord.Field(r, "id"),
            Tid = RawRecord.Field(r, "tid"),
            Description = RawRecord.Field(r, "description"),
            Amount = RawRecord.Field(r, "amount"),
            CusumBalance = RawRecord.Field(r, "cusumBalance"),
            When = RawRecord.Field(r, "when"),
            BookingDate = RawRecord.Field(r, "bookingDate"),
            BankSubAccId = RawRecord.Field(r, "bankSubAccId"),
            VirtualAccount = RawRecord.Field(r, "virtualAccount"),
            CorresponsiveName = RawRecord.Field(r, "corresponsiveName"),
            CorresponsiveAccount = RawRecord.Field(r, "corresponsiveAccount"),
            BankCodeName = RawRecord.Field(r, "bankCodeName"),
        };
    }

    public override void Write(Utf8JsonWriter writer, CassoHistoryRecord value, JsonSerializerOptions options) =>
        throw new NotSupportedException("History records are only read.");
}

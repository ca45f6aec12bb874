using System.Globalization;
using System.Text.Json.Serialization;
using FakeBank.Banking;
using FakeBank.Configuration;
using FakeBank.Time;

namespace FakeBank.Providers;

/// <summary>
/// One row of SePay's <c>/userapi/transactions/list</c>. Like the real API, ids and amounts are strings
/// (<c>"id": "49682"</c>, <c>"amount_in": "18067000.00"</c>), so a client that expects numbers fails here too.
/// </summary>
internal sealed record SePayHistoryRow(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("bank_brand_name")] string BankBrandName,
    [property: JsonPropertyName("account_number")] string AccountNumber,
    [property: JsonPropertyName("transaction_date")] string TransactionDate,
    [property: JsonPropertyName("amount_out")] string AmountOut,
    [property: JsonPropertyName("amount_in")] string AmountIn,
    [property: JsonPropertyName("accumulated")] string Accumulated,
    [property: JsonPropertyName("transaction_content")] string TransactionContent,
    [property: JsonPropertyName("reference_number")] string ReferenceNumber,
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("sub_account")] string? SubAccount,
    [property: JsonPropertyName("bank_account_id")] string BankAccountId)
{
    public static SePayHistoryRow From(BankTransaction t, ProviderSettings settings) => new(
        Id: Invariant(t.SePayId),
        BankBrandName: BankDirectory.Find(t.Bin).SePayGateway,
        AccountNumber: t.AccountNumber,
        TransactionDate: VietnamTime.Wall(t.BookedAt),
        AmountOut: Money(t.Direction == BankTransaction.Out ? t.Amount : 0),
        AmountIn: Money(t.Direction == BankTransaction.In ? t.Amount : 0),
        Accumulated: Money(t.BalanceAfter),
        TransactionContent: t.Content,
        ReferenceNumber: t.BankReference,
        Code: WebhookFormats.SePayCode(t.Content, settings),
        SubAccount: null,
        BankAccountId: Invariant(t.AccountId));

    private static string Money(long dong) => Invariant(dong) + ".00";

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>One record of Casso's <c>/v2/transactions</c> (the API's own field names, older than webhook v2's).</summary>
internal sealed record CassoHistoryRecord(
    long Id,
    string Tid,
    string Description,
    long Amount,
    long CusumBalance,
    string When,
    string BookingDate,
    string BankSubAccId,
    string SubAccId,
    string PaymentChannel,
    string VirtualAccount,
    string VirtualAccountName,
    string CorresponsiveName,
    string CorresponsiveAccount,
    string CorresponsiveBankId,
    string CorresponsiveBankName,
    int AccountId,
    string BankCodeName)
{
    public static CassoHistoryRecord From(BankTransaction t) => new(
        Id: t.CassoId,
        Tid: t.BankReference,
        Description: t.Content,
        Amount: t.SignedAmount,
        CusumBalance: t.BalanceAfter,
        When: VietnamTime.Wall(t.BookedAt),
        BookingDate: VietnamTime.Date(t.BookedAt),
        BankSubAccId: t.AccountNumber,
        SubAccId: t.AccountNumber,
        PaymentChannel: "",
        VirtualAccount: "",
        VirtualAccountName: "",
        CorresponsiveName: t.CounterpartyName ?? "",
        CorresponsiveAccount: t.CounterpartyAccount ?? "",
        CorresponsiveBankId: t.CounterpartyBin ?? "",
        CorresponsiveBankName: t.CounterpartyBin is { } bin ? BankDirectory.Find(bin).ShortName : "",
        AccountId: t.AccountId,
        BankCodeName: BankDirectory.Find(t.Bin).CassoAbbreviation.ToLowerInvariant());
}

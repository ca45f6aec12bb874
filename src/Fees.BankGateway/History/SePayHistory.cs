using System.Globalization;
using Fees.BankGateway.Providers;
using Fees.Domain.Amounts;
using static Fees.BankGateway.Providers.FieldReader;

namespace Fees.BankGateway.History;

/// <summary>
/// Reads SePay's transaction history after a cursor and maps it to <see cref="BankTransaction"/>s (provider
/// <c>sepay</c>, the same dedupe key as the webhook), so a poller catches what webhooks missed and resumes exactly.
/// </summary>
/// <remarks>
/// <para>One call: <c>since_id = cursor.LastId</c> (left out at 0), <c>limit = PageSize</c>. Rows with an id at or below
/// the cursor are dropped (in case <c>since_id</c> is inclusive), the rest are delivered in ascending id order, and the new
/// cursor is the highest id delivered. A full page means more may follow (<see cref="HistoryPage{TCursor}.HasMore"/>).</para>
/// <para>Refusals: a row that breaks the limits stops the page there (rows before it are delivered, the cursor stops
/// before it); a full page not in ascending order is refused whole (<see cref="HistoryFailureKind.UnexpectedOrder"/>),
/// because rows below its lowest id might not have been sent, and so is a full page with no row after the cursor
/// (<c>since_id</c> ignored), which would otherwise be asked for again and again.</para>
/// </remarks>
public sealed class SePayHistory
{
    private readonly ISePayTransactionsApi _api;
    private readonly SePayHistoryOptions _options;

    public SePayHistory(ISePayTransactionsApi api, SePayHistoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        _api = api;
        _options = options;
    }

    /// <summary>The next rows after <paramref name="cursor"/>.</summary>
    public async Task<HistoryPage<SePayCursor>> NextAsync(SePayCursor cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (!_options.IsConfigured)
        {
            return Failed(cursor, HistoryFailure.Of(HistoryFailureKind.NotConfigured, "Bank:Providers:sepay:History:ApiToken is not set."));
        }
        var (body, failure) = await HistoryCalls.SendAsync(
            () => _api.ListTransactionsAsync(_options.ApiToken!, cursor.AccountNumber, cursor.LastId > 0 ? cursor.LastId : null, _options.PageSize, cancellationToken),
            cancellationToken);
        if (failure is not null)
        {
            return Failed(cursor, failure);
        }
        if (body!.Status is { } status && status != 200 || body.Messages?.Success == false)
        {
            return Failed(cursor, HistoryFailure.Of(HistoryFailureKind.ProviderError,
                string.Create(CultureInfo.InvariantCulture, $"SePay answered status {body.Status?.ToString(CultureInfo.InvariantCulture) ?? "(none)"}, success {body.Messages?.Success?.ToString() ?? "(none)"}.")));
        }
        if (body.Transactions is not { } rows)
        {
            return Failed(cursor, HistoryFailure.Of(HistoryFailureKind.MalformedResponse, "SePay's answer has no transactions array."));
        }
        return Map(rows, cursor);
    }

    private HistoryPage<SePayCursor> Map(List<SePayHistoryTransaction> rows, SePayCursor cursor)
    {
        var reader = new FieldReader();
        var ids = new long[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            string path = Item("$.transactions", i);
            string? id = reader.Id(rows[i].Id, Child(path, "id"), required: true, allowNumber: true);
            if (id is not null && !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out ids[i]))
            {
                reader.Fail(Child(path, "id"), FieldErrorCodes.BadText, "A SePay id is digits.", "Mã giao dịch SePay phải là chữ số.");
            }
            if (reader.ErrorCount > 0)
            {
                // Without every id the page cannot be ordered, so nothing of it is delivered.
                return Failed(cursor, Invalid(reader));
            }
        }
        bool fullPage = rows.Count >= _options.PageSize;
        if (fullPage && !IsStrictlyAscending(ids))
        {
            return Failed(cursor, HistoryFailure.Of(HistoryFailureKind.UnexpectedOrder,
                "A full page from SePay is not in ascending id order; rows below its lowest id may be missing, so the cursor stays."));
        }
        if (fullPage && ids.All(id => id <= cursor.LastId))
        {
            // Without this a poller that loops while HasMore would ask for the same page forever.
            return Failed(cursor, HistoryFailure.Of(HistoryFailureKind.UnexpectedOrder,
                "A full page from SePay has no row after the cursor: since_id seems to be ignored, so the cursor cannot advance."));
        }
        var delivered = new List<BankTransaction>();
        var raw = new List<string>();
        long lastId = cursor.LastId;
        var order = Enumerable.Range(0, rows.Count).Where(i => ids[i] > cursor.LastId).OrderBy(i => ids[i]);
        foreach (int i in order)
        {
            if (ids[i] == lastId)
            {
                continue; // The same id twice in one page: delivered once.
            }
            var transaction = Read(rows[i], ids[i], Item("$.transactions", i), reader);
            if (transaction is null)
            {
                return new HistoryPage<SePayCursor>(delivered, cursor with { LastId = lastId }, false, Invalid(reader)) { RawRecords = raw };
            }
            delivered.Add(transaction);
            raw.Add(rows[i].RawJson);
            lastId = ids[i];
        }
        return new HistoryPage<SePayCursor>(delivered, cursor with { LastId = lastId }, fullPage, null) { RawRecords = raw };
    }

    private static BankTransaction? Read(SePayHistoryTransaction row, long id, string path, FieldReader reader)
    {
        int before = reader.ErrorCount;
        string? bankName = reader.String(row.BankBrandName, Child(path, "bank_brand_name"), BankTransactionLimits.MaxNameLength, required: false, trim: true);
        string? account = reader.Account(row.AccountNumber, Child(path, "account_number"), required: true);
        string? subAccount = reader.Account(row.SubAccount, Child(path, "sub_account"), required: false);
        DateTimeOffset? bookedAt = reader.VietnamLocal(row.TransactionDate, Child(path, "transaction_date"), allowIso: false);
        long? amountIn = reader.WholeDong(row.AmountIn, Child(path, "amount_in"), required: false, allowNegative: false);
        long? amountOut = reader.WholeDong(row.AmountOut, Child(path, "amount_out"), required: false, allowNegative: false);
        long? balance = reader.WholeDong(row.Accumulated, Child(path, "accumulated"), required: false, allowNegative: true);
        string? content = reader.Content(row.TransactionContent, Child(path, "transaction_content"), required: false);
        string? reference = reader.Id(row.ReferenceNumber, Child(path, "reference_number"), required: false, allowNumber: true);
        if (reader.ErrorCount > before)
        {
            return null;
        }
        long moneyIn = amountIn ?? 0;
        long moneyOut = amountOut ?? 0;
        if ((moneyIn > 0) == (moneyOut > 0))
        {
            reader.Fail(Child(path, "amount_in"), FieldErrorCodes.OutOfRange, "Exactly one of amount_in and amount_out is positive.",
                "Đúng một trong hai số tiền vào (amount_in) và ra (amount_out) phải lớn hơn 0.");
            return null;
        }
        long amount = Math.Max(moneyIn, moneyOut);
        if (!BankTransactionLimits.IsValidAmount(amount))
        {
            reader.Fail(Child(path, moneyIn > 0 ? "amount_in" : "amount_out"), FieldErrorCodes.OutOfRange, "An amount is in [1, 10^12) đồng.",
                "Số tiền phải từ 1 đồng đến dưới 1.000 tỷ đồng.");
            return null;
        }
        if (balance is { } b && !BankTransactionLimits.IsValidBalance(b))
        {
            reader.Fail(Child(path, "accumulated"), FieldErrorCodes.OutOfRange, "A balance is in (-10^15, 10^15) đồng.", "Số dư vượt quá giới hạn cho phép.");
            return null;
        }
        return new BankTransaction
        {
            Provider = BankProviderCodes.SePay,
            TransactionId = id.ToString(CultureInfo.InvariantCulture),
            BankReference = reference,
            BankBin = ProviderBankNames.ResolveBin(bankName),
            AccountNumber = account!,
            SubAccount = subAccount,
            Direction = moneyIn > 0 ? TransferDirection.In : TransferDirection.Out,
            Amount = Money.Vnd(amount),
            Content = content!,
            BookedAt = bookedAt!.Value,
            RunningBalance = balance is { } value ? Money.Vnd(value) : null,
        };
    }

    private static bool IsStrictlyAscending(long[] ids)
    {
        for (int i = 1; i < ids.Length; i++)
        {
            if (ids[i] <= ids[i - 1])
            {
                return false;
            }
        }
        return true;
    }

    private static HistoryFailure Invalid(FieldReader reader) =>
        new(HistoryFailureKind.InvalidTransaction, null, "A SePay row breaks the transaction limits; see the field errors.", reader.Errors.ToArray());

    private static HistoryPage<SePayCursor> Failed(SePayCursor cursor, HistoryFailure failure) => new([], cursor, false, failure);
}

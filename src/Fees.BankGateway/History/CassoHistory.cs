using System.Globalization;
using Fees.BankGateway.Providers;
using Fees.Domain.Amounts;
using Fees.Domain.Time;
using static Fees.BankGateway.Providers.FieldReader;

namespace Fees.BankGateway.History;

/// <summary>
/// Reads Casso's transaction history one page of one Vietnam day at a time and maps it to <see cref="BankTransaction"/>s
/// (provider <c>casso</c>, the same dedupe key as the webhooks), so a poller catches what webhooks missed and resumes exactly.
/// </summary>
/// <remarks>
/// <para>One call reads <c>fromDate = toDate = cursor.Date</c>, <c>page = cursor.Page</c>, <c>sort=ASC</c>. Records whose
/// id is in <see cref="CassoCursor.SeenIds"/> are skipped; records of accounts not in
/// <see cref="HistoryApiOptions.Accounts"/> (when it is not empty) are marked seen but not delivered.</para>
/// <para>After the day's last page: a final pass moves to the next day (page 1, nothing seen); otherwise the next call
/// starts the day again at page 1 (late bookings may land anywhere), and that pass is final if the day has settled by
/// then. Days after today (Vietnam time) are not asked for. See <see cref="CassoCursor"/>.</para>
/// <para>A record that breaks the limits stops the page there: records before it are delivered and marked seen, and the
/// next call reads the same page again.</para>
/// </remarks>
public sealed class CassoHistory
{
    private readonly ICassoTransactionsApi _api;
    private readonly CassoHistoryOptions _options;

    public CassoHistory(ICassoTransactionsApi api, CassoHistoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        _api = api;
        _options = options;
    }

    /// <summary>The next page after <paramref name="cursor"/>.</summary>
    /// <param name="cursor">Where to resume.</param>
    /// <param name="now">The current instant, to know today and which days have settled.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<HistoryPage<CassoCursor>> NextAsync(CassoCursor cursor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        if (!_options.IsConfigured)
        {
            return Failed(cursor, HistoryFailure.Of(HistoryFailureKind.NotConfigured, "Bank:Providers:casso:History:ApiKey is not set."));
        }
        DateOnly today = VietnamTime.DateOf(now);
        if (cursor.Date > today)
        {
            return new HistoryPage<CassoCursor>([], cursor, false, null);
        }
        bool finalPass = cursor.Page == 1 ? IsSettled(cursor.Date, now) : cursor.FinalPass;
        string day = cursor.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var (body, failure) = await HistoryCalls.SendAsync(
            () => _api.ListTransactionsAsync(_options.ApiKey!, day, day, cursor.Page, _options.PageSize, "ASC", cancellationToken),
            cancellationToken);
        if (failure is not null)
        {
            return Failed(cursor, failure);
        }
        if (body!.Error is { } error && error != 0)
        {
            // Casso's message is not echoed: it is free text from outside.
            return Failed(cursor, HistoryFailure.Of(HistoryFailureKind.ProviderError, string.Create(CultureInfo.InvariantCulture, $"Casso answered error {error}.")));
        }
        if (body.Data?.Records is not { } records)
        {
            return Failed(cursor, HistoryFailure.Of(HistoryFailureKind.MalformedResponse, "Casso's answer has no data.records array."));
        }

        var reader = new FieldReader();
        var seen = new HashSet<long>(cursor.SeenIds);
        var delivered = new List<BankTransaction>();
        var raw = new List<string>();
        for (int i = 0; i < records.Count; i++)
        {
            string path = Item("$.data.records", i);
            string? idText = reader.Id(records[i].Id, Child(path, "id"), required: true, allowNumber: true);
            long id = 0;
            if (idText is not null && !long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out id))
            {
                reader.Fail(Child(path, "id"), FieldErrorCodes.BadText, "A Casso id is digits.", "Mã giao dịch Casso phải là chữ số.");
            }
            if (reader.ErrorCount > 0)
            {
                return Stopped(cursor, finalPass, seen, delivered, raw, reader);
            }
            if (seen.Contains(id))
            {
                continue;
            }
            var transaction = Read(records[i], id, path, reader);
            if (transaction is null)
            {
                return Stopped(cursor, finalPass, seen, delivered, raw, reader);
            }
            seen.Add(id);
            if (_options.Accounts.Count == 0 || _options.Accounts.Contains(transaction.AccountNumber, StringComparer.Ordinal))
            {
                delivered.Add(transaction);
                raw.Add(records[i].RawJson);
            }
        }

        int totalPages = body.Data.TotalPages ?? (records.Count >= _options.PageSize ? cursor.Page + 1 : cursor.Page);
        if (cursor.Page < totalPages)
        {
            return new HistoryPage<CassoCursor>(delivered, cursor with { Page = cursor.Page + 1, FinalPass = finalPass, SeenIds = [.. seen] }, true, null) { RawRecords = raw };
        }
        if (finalPass)
        {
            DateOnly next = cursor.Date.AddDays(1);
            return new HistoryPage<CassoCursor>(delivered, CassoCursor.Start(next), next <= today, null) { RawRecords = raw };
        }
        return new HistoryPage<CassoCursor>(delivered, cursor with { Page = 1, FinalPass = false, SeenIds = [.. seen] }, IsSettled(cursor.Date, now), null) { RawRecords = raw };
    }

    /// <summary>Whether <paramref name="date"/> has ended in Vietnam at least <see cref="CassoHistoryOptions.SettleDelay"/> before <paramref name="now"/>.</summary>
    public bool IsSettled(DateOnly date, DateTimeOffset now) => now >= VietnamTime.StartOf(date.AddDays(1)) + _options.SettleDelay;

    private static BankTransaction? Read(CassoHistoryRecord record, long id, string path, FieldReader reader)
    {
        int before = reader.ErrorCount;
        string? reference = reader.Id(record.Tid, Child(path, "tid"), required: false, allowNumber: true);
        string? content = reader.Content(record.Description, Child(path, "description"), required: false);
        long? amount = reader.SignedAmount(record.Amount, Child(path, "amount"));
        long? balance = reader.Balance(record.CusumBalance, Child(path, "cusumBalance"));
        DateTimeOffset? bookedAt = reader.VietnamLocal(record.When, Child(path, "when"), allowIso: true);
        string? account = reader.Account(record.BankSubAccId, Child(path, "bankSubAccId"), required: true);
        string? subAccount = reader.Account(record.VirtualAccount, Child(path, "virtualAccount"), required: false);
        string? counterpartyName = reader.String(record.CorresponsiveName, Child(path, "corresponsiveName"), BankTransactionLimits.MaxNameLength, required: false, trim: true);
        string? counterpartyAccount = reader.String(record.CorresponsiveAccount, Child(path, "corresponsiveAccount"), BankTransactionLimits.MaxCounterpartyAccountLength, required: false, trim: true);
        string? bankName = reader.String(record.BankCodeName, Child(path, "bankCodeName"), BankTransactionLimits.MaxNameLength, required: false, trim: true);
        if (reader.ErrorCount > before)
        {
            return null;
        }
        return new BankTransaction
        {
            Provider = BankProviderCodes.Casso,
            TransactionId = id.ToString(CultureInfo.InvariantCulture),
            BankReference = reference,
            BankBin = ProviderBankNames.ResolveBin(bankName),
            AccountNumber = account!,
            SubAccount = subAccount,
            Direction = amount > 0 ? TransferDirection.In : TransferDirection.Out,
            Amount = Money.Vnd(Math.Abs(amount!.Value)),
            Content = content!,
            BookedAt = bookedAt!.Value,
            CounterpartyName = counterpartyName,
            CounterpartyAccount = counterpartyAccount,
            RunningBalance = balance is { } b ? Money.Vnd(b) : null,
        };
    }

    private static HistoryPage<CassoCursor> Stopped(CassoCursor cursor, bool finalPass, HashSet<long> seen, List<BankTransaction> delivered, List<string> raw, FieldReader reader) =>
        new(delivered, cursor with { FinalPass = finalPass, SeenIds = [.. seen] }, false,
            new HistoryFailure(HistoryFailureKind.InvalidTransaction, null, "A Casso record breaks the transaction limits; see the field errors.", reader.Errors.ToArray()))
        { RawRecords = raw };

    private static HistoryPage<CassoCursor> Failed(CassoCursor cursor, HistoryFailure failure) => new([], cursor, false, failure);
}

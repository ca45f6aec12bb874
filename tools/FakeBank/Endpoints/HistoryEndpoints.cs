using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FakeBank.Banking;
using FakeBank.Configuration;
using FakeBank.Providers;
using FakeBank.Time;

namespace FakeBank.Endpoints;

/// <summary>The aggregators' transaction-history APIs, used by the service to reconcile missed webhooks.</summary>
internal static class HistoryEndpoints
{
    public const int SePayMaxLimit = 5000;
    public const int CassoDefaultPageSize = 10;
    public const int CassoMaxPageSize = 1000;

    public static void MapHistory(this WebApplication app)
    {
        // At the root, as the real hosts serve them, and under a provider prefix, so that one fake can be the base
        // address of both history clients (Fees.BankGateway keeps a base address's path as a prefix).
        app.MapGet("/userapi/transactions/list", SePayList);
        app.MapGet("/sepay/userapi/transactions/list", SePayList);
        app.MapGet("/v2/transactions", CassoList);
        app.MapGet("/casso/v2/transactions", CassoList);
    }

    /// <summary>
    /// SePay: <c>Authorization: Bearer {apiToken}</c>; rows of accounts SePay watches, ascending by id, from
    /// <c>since_id</c> on, at most <c>limit</c> (default and maximum 5000). SePay documents <c>since_id</c> as
    /// "from the specified ID (&gt;=)", so the row with that id is included; the order of rows it does not document.
    /// </summary>
    private static IResult SePayList(HttpRequest http, Ledger ledger, SettingsStore store)
    {
        var settings = store.Current.SePay;
        if (!Authorized(http, "Bearer", settings.ApiToken))
        {
            return Results.Json(new { status = 401, error = "Unauthorized", messages = new { success = false } }, statusCode: 401);
        }
        if (store.TryTakeHistoryFailure(out int failStatus))
        {
            return Results.Json(new { status = failStatus, error = "fault injected by FakeBank", messages = new { success = false } }, statusCode: failStatus);
        }
        var q = http.Query;
        if (!OptionalLong(q["since_id"], out long? sinceId) || !OptionalLong(q["limit"], out long? limit)
            || !OptionalLong(q["amount_in"], out long? amountIn) || !OptionalLong(q["amount_out"], out long? amountOut)
            || !OptionalInstant(q["transaction_date_min"], endOfDay: false, out var dateMin)
            || !OptionalInstant(q["transaction_date_max"], endOfDay: true, out var dateMax)
            || limit is < 1)
        {
            return Results.Json(new { status = 400, error = "bad query parameter", messages = new { success = false } }, statusCode: 400);
        }
        string? accountNumber = q["account_number"];
        string? referenceNumber = q["reference_number"];
        int take = (int)Math.Min(limit ?? SePayMaxLimit, SePayMaxLimit);
        var rows = ledger.Read(v => v.Transactions
            .Where(t => t.WatchedBy.Contains(Provider.SePay))
            .Where(t => accountNumber is null || t.AccountNumber == accountNumber)
            .Where(t => sinceId is null || t.SePayId >= sinceId)
            .Where(t => referenceNumber is null || t.BankReference == referenceNumber)
            .Where(t => amountIn is null || (t.Direction == BankTransaction.In && t.Amount == amountIn))
            .Where(t => amountOut is null || (t.Direction == BankTransaction.Out && t.Amount == amountOut))
            .Where(t => dateMin is null || t.BookedAt >= dateMin)
            .Where(t => dateMax is null || t.BookedAt <= dateMax)
            .OrderBy(t => t.SePayId)
            .Take(take)
            .Select(t => SePayHistoryRow.From(t, settings))
            .ToList());
        return Results.Json(new { status = 200, error = (string?)null, messages = new { success = true }, transactions = rows });
    }

    /// <summary>
    /// Casso: <c>Authorization: Apikey {apiKey}</c>; records of accounts Casso watches whose Vietnam booking date is in
    /// [fromDate, toDate], sorted by id (<c>ASC</c> default, or <c>DESC</c>), pages from 1.
    /// </summary>
    private static IResult CassoList(HttpRequest http, Ledger ledger, SettingsStore store)
    {
        if (!Authorized(http, "Apikey", store.Current.Casso.ApiKey))
        {
            return Results.Json(new { error = 401, message = "Unauthorized", data = (object?)null }, statusCode: 401);
        }
        if (store.TryTakeHistoryFailure(out int failStatus))
        {
            return Results.Json(new { error = failStatus, message = "fault injected by FakeBank", data = (object?)null }, statusCode: failStatus);
        }
        var q = http.Query;
        string sort = (q["sort"].ToString() is { Length: > 0 } s ? s : "ASC").ToUpperInvariant();
        if (!OptionalDate(q["fromDate"], out var fromDate) || !OptionalDate(q["toDate"], out var toDate)
            || !OptionalLong(q["page"], out long? pageParam) || !OptionalLong(q["pageSize"], out long? sizeParam)
            || pageParam is < 1 || sizeParam is < 1 || sort is not ("ASC" or "DESC"))
        {
            return Results.Json(new { error = 400, message = "bad query parameter", data = (object?)null }, statusCode: 400);
        }
        int page = (int)Math.Min(pageParam ?? 1, int.MaxValue);
        int pageSize = (int)Math.Min(sizeParam ?? CassoDefaultPageSize, CassoMaxPageSize);
        var matching = ledger.Read(v => v.Transactions
            .Where(t => t.WatchedBy.Contains(Provider.Casso))
            .Where(t => fromDate is null || DateOnly.FromDateTime(VietnamTime.ToVietnam(t.BookedAt).DateTime) >= fromDate)
            .Where(t => toDate is null || DateOnly.FromDateTime(VietnamTime.ToVietnam(t.BookedAt).DateTime) <= toDate)
            .ToList());
        var ordered = sort == "ASC" ? matching.OrderBy(t => t.CassoId) : matching.OrderByDescending(t => t.CassoId);
        int totalRecords = matching.Count;
        int totalPages = (totalRecords + pageSize - 1) / pageSize;
        var records = ordered.Skip((int)Math.Min((long)(page - 1) * pageSize, int.MaxValue)).Take(pageSize).Select(CassoHistoryRecord.From).ToList();
        return Results.Json(new
        {
            error = 0,
            message = "success",
            data = new
            {
                page,
                pageSize,
                nextPage = page < totalPages ? page + 1 : (int?)null,
                prevPage = page > 1 ? page - 1 : (int?)null,
                totalPages,
                totalRecords,
                records,
            },
        });
    }

    /// <summary>The scheme is matched case-insensitively, the credential exactly and in constant time.</summary>
    private static bool Authorized(HttpRequest http, string scheme, string? expected)
    {
        string header = http.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(expected) || !header.StartsWith(scheme + " ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        byte[] given = Encoding.UTF8.GetBytes(header[(scheme.Length + 1)..].Trim());
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(expected));
    }

    private static bool OptionalLong(string? text, out long? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed))
        {
            value = parsed;
            return true;
        }
        return false;
    }

    private static bool OptionalDate(string? text, out DateOnly? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            value = parsed;
            return true;
        }
        return false;
    }

    /// <summary><c>yyyy-MM-dd</c> (the whole Vietnam day) or <c>yyyy-MM-dd HH:mm:ss</c> (Vietnam time).</summary>
    private static bool OptionalInstant(string? text, bool endOfDay, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = endOfDay ? VietnamTime.StartOfDay(date.AddDays(1)).AddTicks(-1) : VietnamTime.StartOfDay(date);
            return true;
        }
        if (DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
        {
            value = new DateTimeOffset(wall, VietnamTime.Offset);
            return true;
        }
        return false;
    }
}

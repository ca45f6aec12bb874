using System.Security.Cryptography;
using System.Text.Json;
using Fees.Domain.Amounts;
using static Fees.BankGateway.Providers.FieldReader;

namespace Fees.BankGateway.Providers;

/// <summary>
/// SePay's webhook, <c>POST /api/bank/notifications/sepay</c>. Authentication per <see cref="SePaySignature"/>; body
/// <c>{id, gateway, transactionDate, accountNumber, subAccount, code, content, transferType, transferAmount, accumulated,
/// referenceCode, description}</c>, one transaction per request (shapes in <c>Providers/README.md</c>).
/// </summary>
/// <remarks>
/// <para>Mapping: <c>id</c> (integer or string) → <see cref="BankTransaction.TransactionId"/>; <c>gateway</c> →
/// <see cref="BankTransaction.BankBin"/> through <see cref="ProviderBankNames"/> (null when unknown or ambiguous);
/// <c>transactionDate</c> <c>yyyy-MM-dd HH:mm:ss</c> read as Vietnam time (UTC+07:00, [U] presumed); <c>transferType</c>
/// <c>in</c>/<c>out</c> → direction; <c>transferAmount</c> (positive JSON integer) → amount; <c>accumulated</c> → running
/// balance; <c>referenceCode</c> → bank reference; <c>content</c> → content (null or absent reads as empty);
/// <c>description</c> → raw description. <c>code</c> (SePay's own payment-code extraction) is not used: our matcher reads
/// the content. Unknown properties are ignored.</para>
/// <para>SePay retries until it gets a 2xx with <see cref="SuccessResponseBody"/>: answer it only once the transaction is
/// stored, never after a processing failure (that would drop the transaction).</para>
/// </remarks>
public sealed class SePayWebhookAdapter : IWebhookAdapter
{
    /// <summary>
    /// The body SePay expects in a 2xx answer (<c>application/json</c>), once the transaction is stored. The contract's
    /// <c>{"receiptId","status"}</c> can be answered as the superset <c>{"success":true,"receiptId":…,"status":…}</c>
    /// ([U] that SePay tolerates the extra properties).
    /// </summary>
    public const string SuccessResponseBody = "{\"success\":true}";

    private readonly SecretText? _apiKey;
    private readonly SecretText? _hmacSecret;

    /// <param name="options">The API key and/or HMAC secret; with neither, the webhook is disabled.</param>
    public SePayWebhookAdapter(SePayProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _apiKey = SecretText.From(options.ApiKey);
        _hmacSecret = SecretText.From(options.HmacSecret);
    }

    public string Provider => BankProviderCodes.SePay;

    public bool IsEnabled => _apiKey is not null || _hmacSecret is not null;

    /// <summary>
    /// With an HMAC secret configured and <c>X-SePay-Signature</c> present, the HMAC decides (timestamp within 5 minutes
    /// either way, else Stale); otherwise, with an API key configured and <c>Authorization</c> present, the key decides.
    /// Each scheme is enabled by its own secret; anything else is Missing.
    /// </summary>
    public WebhookVerification Verify(WebhookRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsEnabled)
        {
            return WebhookVerification.Missing("SePay is disabled: neither Bank:Providers:sepay:ApiKey nor HmacSecret is set.");
        }
        string? signature = request.Header(SePaySignature.SignatureHeader);
        if (_hmacSecret is not null && signature is not null)
        {
            return VerifyHmac(_hmacSecret, signature, request, now);
        }
        string? authorization = request.Header("Authorization");
        if (_apiKey is not null && authorization is not null)
        {
            return VerifyApiKey(_apiKey, authorization);
        }
        return WebhookVerification.Missing("No X-SePay-Signature or Authorization header for a configured SePay scheme.");
    }

    private static WebhookVerification VerifyHmac(SecretText secret, string signature, WebhookRequest request, DateTimeOffset now)
    {
        string? timestamp = request.Header(SePaySignature.TimestampHeader);
        if (timestamp is null)
        {
            return WebhookVerification.BadSignature("X-SePay-Signature came without X-SePay-Timestamp.");
        }
        if (!TimestampWindow.TryParse(timestamp, milliseconds: false, out var signedAt))
        {
            return WebhookVerification.BadSignature("X-SePay-Timestamp is not unix seconds.");
        }
        if (!signature.StartsWith(SePaySignature.Prefix, StringComparison.Ordinal)
            || !Hex.TryDecode(signature.AsSpan(SePaySignature.Prefix.Length), HMACSHA256.HashSizeInBytes, out byte[] presented))
        {
            return WebhookVerification.BadSignature("X-SePay-Signature is not sha256=<64 hex digits>.");
        }
        byte[] expected = SePaySignature.Mac(secret.KeyBytes, timestamp, request.Body.Span);
        if (!CryptographicOperations.FixedTimeEquals(expected, presented))
        {
            return WebhookVerification.BadSignature("X-SePay-Signature does not match the timestamp and body.");
        }
        // The window is checked after the MAC, so Stale only ever describes an authentic request (a replay or a clock off).
        return TimestampWindow.Outside(signedAt, now, SePaySignature.TimestampHeader) is { } stale
            ? WebhookVerification.Stale(stale)
            : WebhookVerification.Verified("X-SePay-Signature matches.");
    }

    private static WebhookVerification VerifyApiKey(SecretText apiKey, string authorization)
    {
        int space = authorization.IndexOf(' ', StringComparison.Ordinal);
        string key = space < 0 ? "" : authorization[(space + 1)..].Trim();
        if (space < 0 || !authorization.AsSpan(0, space).Equals(SePaySignature.ApiKeyScheme, StringComparison.OrdinalIgnoreCase) || key.Length == 0)
        {
            return WebhookVerification.BadSignature("Authorization is not 'Apikey <key>'.");
        }
        return apiKey.Matches(key)
            ? WebhookVerification.Verified("The SePay API key matches.")
            : WebhookVerification.BadSignature("The SePay API key does not match.");
    }

    public WebhookParse Parse(ReadOnlySpan<byte> body)
    {
        var reader = new FieldReader();
        using var document = WebhookJson.Parse(body, reader);
        if (document is not null && reader.Object(document.RootElement, "$") is { } root)
        {
            var transaction = Read(root, reader);
            if (transaction is not null)
            {
                return WebhookParse.Valid([transaction]);
            }
        }
        return WebhookParse.Refused(reader.Errors);
    }

    private static BankTransaction? Read(JsonElement o, FieldReader reader)
    {
        string? id = reader.Id(Get(o, "id"), "$.id", required: true, allowNumber: true);
        string? gateway = reader.String(Get(o, "gateway"), "$.gateway", BankTransactionLimits.MaxNameLength, required: false, trim: true);
        DateTimeOffset? bookedAt = reader.VietnamLocal(Get(o, "transactionDate"), "$.transactionDate", allowIso: false);
        string? account = reader.Account(Get(o, "accountNumber"), "$.accountNumber", required: true);
        string? subAccount = reader.Account(Get(o, "subAccount"), "$.subAccount", required: false);
        string? content = reader.Content(Get(o, "content"), "$.content", required: false);
        TransferDirection? direction = reader.Direction(Get(o, "transferType"), "$.transferType", required: true);
        long? amount = reader.PositiveAmount(Get(o, "transferAmount"), "$.transferAmount");
        long? balance = reader.Balance(Get(o, "accumulated"), "$.accumulated");
        string? reference = reader.Id(Get(o, "referenceCode"), "$.referenceCode", required: false, allowNumber: false);
        string? description = reader.String(Get(o, "description"), "$.description", BankTransactionLimits.MaxContentLength, required: false, trim: false);
        if (reader.ErrorCount > 0)
        {
            return null;
        }
        return new BankTransaction
        {
            Provider = BankProviderCodes.SePay,
            TransactionId = id!,
            BankReference = reference,
            BankBin = ProviderBankNames.ResolveBin(gateway),
            AccountNumber = account!,
            SubAccount = subAccount,
            Direction = direction!.Value,
            Amount = Money.Vnd(amount!.Value),
            Content = content!,
            RawDescription = description is { Length: > 0 } ? description : null,
            BookedAt = bookedAt!.Value,
            RunningBalance = balance is { } b ? Money.Vnd(b) : null,
        };
    }
}

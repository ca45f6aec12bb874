using System.Security.Cryptography;
using System.Text.Json;
using Fees.Domain.Amounts;
using static Fees.BankGateway.Providers.FieldReader;

namespace Fees.BankGateway.Providers;

/// <summary>
/// Casso's webhook, <c>POST /api/bank/notifications/casso</c>, in both generations: v2 (<c>data</c> is one object, signed
/// per <see cref="CassoSignature"/>) and legacy (<c>data</c> is an array, a batch, authenticated by <c>Secure-Token</c>).
/// </summary>
/// <remarks>
/// <para>v2 mapping (<c>$.data</c>): <c>id</c> → transaction id; <c>reference</c> → bank reference; <c>description</c> →
/// content; <c>amount</c> (non-zero JSON integer, negative = money out) → direction and amount; <c>runningBalance</c> →
/// running balance; <c>transactionDateTime</c> (<c>yyyy-MM-dd HH:mm:ss</c> Vietnam time, or ISO 8601 with offset) →
/// booked at; <c>accountNumber</c> → account; <c>virtualAccountNumber</c> → sub-account; <c>bankAbbreviation</c>,
/// <c>bankName</c> → BIN via <see cref="ProviderBankNames"/>; <c>counterAccountName</c>, <c>counterAccountNumber</c> →
/// counterparty. <c>counterAccountBankId</c>/<c>BankName</c> are not kept.</para>
/// <para>Legacy mapping (<c>$.data[i]</c>): <c>id</c>; <c>tid</c> → bank reference; <c>description</c>; <c>amount</c>;
/// <c>cusum_balance</c>; <c>when</c>; <c>bank_sub_acc_id</c> (else <c>subAccId</c>) → account; and, [U] when present,
/// <c>virtualAccount</c>, <c>bankAbbreviation</c>/<c>bankName</c>, <c>corresponsiveName</c>/<c>corresponsiveAccount</c>.</para>
/// <para>A top-level <c>error</c>, when present, must be <c>0</c>. Empty strings read as absent; unknown properties are
/// ignored. Either body shape is accepted after either authentication: both prove the sender knows a configured secret.</para>
/// </remarks>
public sealed class CassoWebhookAdapter : IWebhookAdapter
{
    private readonly SecretText? _checksumKey;
    private readonly SecretText? _secureToken;

    /// <param name="options">The v2 checksum key and/or the legacy token; with neither, the webhook is disabled.</param>
    public CassoWebhookAdapter(CassoProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _checksumKey = SecretText.From(options.ChecksumKey);
        _secureToken = SecretText.From(options.SecureToken);
    }

    public string Provider => BankProviderCodes.Casso;

    public bool IsEnabled => _checksumKey is not null || _secureToken is not null;

    /// <summary>
    /// With a checksum key configured and <c>X-Casso-Signature</c> present, the v2 signature decides (timestamp within 5
    /// minutes either way, else Stale); otherwise, with a legacy token configured and <c>Secure-Token</c> present, the token
    /// decides. Anything else is Missing.
    /// </summary>
    public WebhookVerification Verify(WebhookRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsEnabled)
        {
            return WebhookVerification.Missing("Casso is disabled: neither Bank:Providers:casso:ChecksumKey nor SecureToken is set.");
        }
        string? signature = request.Header(CassoSignature.HeaderName);
        if (_checksumKey is not null && signature is not null)
        {
            return VerifyV2(_checksumKey, signature, request.Body.Span, now);
        }
        string? token = request.Header(CassoSignature.LegacyTokenHeader);
        if (_secureToken is not null && token is not null)
        {
            return _secureToken.Matches(token)
                ? WebhookVerification.Verified("Secure-Token matches (legacy webhook).")
                : WebhookVerification.BadSignature("Secure-Token does not match.");
        }
        return WebhookVerification.Missing("No X-Casso-Signature or Secure-Token header for a configured Casso scheme.");
    }

    private static WebhookVerification VerifyV2(SecretText key, string header, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (!CassoSignature.TryParseHeader(header, out string t, out var presented))
        {
            return WebhookVerification.BadSignature("X-Casso-Signature is not t=<unix ms>,v1=<128 hex digits>.");
        }
        if (!TimestampWindow.TryParse(t, milliseconds: true, out var signedAt))
        {
            return WebhookVerification.BadSignature("The t of X-Casso-Signature is not unix milliseconds.");
        }
        if (body.Length > WebhookLimits.MaxBodyBytes || !WebhookJson.TryParse(body, out var document, out _))
        {
            return WebhookVerification.BadSignature("The body is not JSON within 1 MiB, so its data cannot be verified.");
        }
        byte[] expected;
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("data", out _))
            {
                return WebhookVerification.BadSignature("The body has no data to verify.");
            }
            try
            {
                expected = CassoSignature.Mac(key.KeyBytes, t, document.RootElement);
            }
            catch (InvalidOperationException)
            {
                return WebhookVerification.BadSignature("The data holds a string with an unpaired surrogate; it has no canonical form.");
            }
        }
        bool matches = false;
        foreach (byte[] mac in presented)
        {
            // No early exit: every candidate is compared, each in constant time.
            matches |= CryptographicOperations.FixedTimeEquals(expected, mac);
        }
        if (!matches)
        {
            return WebhookVerification.BadSignature("X-Casso-Signature does not match the timestamp and body.");
        }
        return TimestampWindow.Outside(signedAt, now, "The t of X-Casso-Signature") is { } stale
            ? WebhookVerification.Stale(stale)
            : WebhookVerification.Verified("X-Casso-Signature matches (webhook v2).");
    }

    public WebhookParse Parse(ReadOnlySpan<byte> body)
    {
        var reader = new FieldReader();
        using var document = WebhookJson.Parse(body, reader);
        if (document is null || reader.Object(document.RootElement, "$") is not { } root)
        {
            return WebhookParse.Refused(reader.Errors);
        }
        var error = Get(root, "error");
        if (!IsAbsent(error) && !(error.ValueKind == JsonValueKind.Number && error.TryGetInt64(out long code) && code == 0))
        {
            reader.Fail("$.error", FieldErrorCodes.ProviderError, "error must be 0 when present.", "Nhà cung cấp báo lỗi (error khác 0).");
        }
        var transactions = new List<BankTransaction>();
        var data = Get(root, "data");
        switch (data.ValueKind)
        {
            case JsonValueKind.Object:
                AddIfValid(transactions, ReadV2(data, "$.data", reader));
                break;
            case JsonValueKind.Array when data.GetArrayLength() > WebhookLimits.MaxBatchSize:
                reader.Fail("$.data", FieldErrorCodes.TooLarge, $"At most {WebhookLimits.MaxBatchSize} transactions per body.",
                    $"Quá nhiều giao dịch trong một lần gửi (tối đa {WebhookLimits.MaxBatchSize}).");
                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (var item in data.EnumerateArray())
                {
                    string path = Item("$.data", index++);
                    if (reader.Object(item, path) is { } entry)
                    {
                        AddIfValid(transactions, ReadLegacy(entry, path, reader));
                    }
                }
                break;
            case JsonValueKind.Undefined or JsonValueKind.Null:
                reader.Required("$.data");
                break;
            default:
                reader.WrongType("$.data", "a JSON object (webhook v2) or array (legacy)", "một đối tượng (webhook v2) hoặc một mảng (webhook cũ)");
                break;
        }
        return reader.ErrorCount == 0 ? WebhookParse.Valid(transactions) : WebhookParse.Refused(reader.Errors);
    }

    private static void AddIfValid(List<BankTransaction> transactions, BankTransaction? transaction)
    {
        if (transaction is not null)
        {
            transactions.Add(transaction);
        }
    }

    private static BankTransaction? ReadV2(JsonElement o, string path, FieldReader reader)
    {
        int before = reader.ErrorCount;
        string? id = reader.Id(Get(o, "id"), Child(path, "id"), required: true, allowNumber: true);
        string? reference = reader.Id(Get(o, "reference"), Child(path, "reference"), required: false, allowNumber: true);
        string? content = reader.Content(Get(o, "description"), Child(path, "description"), required: false);
        long? amount = reader.SignedAmount(Get(o, "amount"), Child(path, "amount"));
        long? balance = reader.Balance(Get(o, "runningBalance"), Child(path, "runningBalance"));
        DateTimeOffset? bookedAt = reader.VietnamLocal(Get(o, "transactionDateTime"), Child(path, "transactionDateTime"), allowIso: true);
        string? account = reader.Account(Get(o, "accountNumber"), Child(path, "accountNumber"), required: true);
        string? subAccount = reader.Account(Get(o, "virtualAccountNumber"), Child(path, "virtualAccountNumber"), required: false);
        string? bankAbbreviation = reader.String(Get(o, "bankAbbreviation"), Child(path, "bankAbbreviation"), BankTransactionLimits.MaxNameLength, required: false, trim: true);
        string? bankName = reader.String(Get(o, "bankName"), Child(path, "bankName"), BankTransactionLimits.MaxNameLength, required: false, trim: true);
        string? counterpartyName = reader.String(Get(o, "counterAccountName"), Child(path, "counterAccountName"), BankTransactionLimits.MaxNameLength, required: false, trim: true);
        string? counterpartyAccount = reader.String(Get(o, "counterAccountNumber"), Child(path, "counterAccountNumber"), BankTransactionLimits.MaxCounterpartyAccountLength, required: false, trim: true);
        if (reader.ErrorCount > before)
        {
            return null;
        }
        return Build(id!, reference, content!, amount!.Value, balance, bookedAt!.Value, account!, subAccount,
            ProviderBankNames.ResolveBin(bankAbbreviation, bankName), counterpartyName, counterpartyAccount);
    }

    private static BankTransaction? ReadLegacy(JsonElement o, string path, FieldReader reader)
    {
        int before = reader.ErrorCount;
        string? id = reader.Id(Get(o, "id"), Child(path, "id"), required: true, allowNumber: true);
        string? reference = reader.Id(Get(o, "tid"), Child(path, "tid"), required: false, allowNumber: true);
        string? content = reader.Content(Get(o, "description"), Child(path, "description"), required: false);
        long? amount = reader.SignedAmount(Get(o, "amount"), Child(path, "amount"));
        long? balance = reader.Balance(Get(o, "cusum_balance"), Child(path, "cusum_balance"));
        DateTimeOffset? bookedAt = reader.VietnamLocal(Get(o, "when"), Child(path, "when"), allowIso: true);
        string accountField = IsAbsent(Get(o, "bank_sub_acc_id")) && !IsAbsent(Get(o, "subAccId")) ? "subAccId" : "bank_sub_acc_id";
        string? account = reader.Account(Get(o, accountField), Child(path, accountField), required: true);
        string? subAccount = reader.Account(Get(o, "virtualAccount"), Child(path, "virtualAccount"), required: false);
        string? bankAbbreviation = reader.String(Get(o, "bankAbbreviation"), Child(path, "bankAbbreviation"), BankTransactionLimits.MaxNameLength, required: false, trim: true);
        string? bankName = reader.String(Get(o, "bankName"), Child(path, "bankName"), BankTransactionLimits.MaxNameLength, required: false, trim: true);
        string? counterpartyName = reader.String(Get(o, "corresponsiveName"), Child(path, "corresponsiveName"), BankTransactionLimits.MaxNameLength, required: false, trim: true);
        string? counterpartyAccount = reader.String(Get(o, "corresponsiveAccount"), Child(path, "corresponsiveAccount"), BankTransactionLimits.MaxCounterpartyAccountLength, required: false, trim: true);
        if (reader.ErrorCount > before)
        {
            return null;
        }
        return Build(id!, reference, content!, amount!.Value, balance, bookedAt!.Value, account!, subAccount,
            ProviderBankNames.ResolveBin(bankAbbreviation, bankName), counterpartyName, counterpartyAccount);
    }

    private static BankTransaction Build(string id, string? reference, string content, long signedAmount, long? balance,
        DateTimeOffset bookedAt, string account, string? subAccount, string? bin, string? counterpartyName, string? counterpartyAccount) =>
        new()
        {
            Provider = BankProviderCodes.Casso,
            TransactionId = id,
            BankReference = reference,
            BankBin = bin,
            AccountNumber = account,
            SubAccount = subAccount,
            Direction = signedAmount > 0 ? TransferDirection.In : TransferDirection.Out,
            Amount = Money.Vnd(Math.Abs(signedAmount)),
            Content = content,
            BookedAt = bookedAt,
            CounterpartyName = counterpartyName,
            CounterpartyAccount = counterpartyAccount,
            RunningBalance = balance is { } b ? Money.Vnd(b) : null,
        };
}

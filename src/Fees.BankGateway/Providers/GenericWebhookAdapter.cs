using System.Security.Cryptography;
using System.Text.Json;
using Fees.Domain.Amounts;
using static Fees.BankGateway.Providers.FieldReader;

namespace Fees.BankGateway.Providers;

/// <summary>
/// Our own feed, <c>POST /api/bank/notifications/generic</c>: signed with <see cref="GenericSignature"/>, body documented in
/// <c>Providers/README.md</c>.
/// </summary>
/// <remarks>
/// Body: <c>transactionId</c> (string), <c>bankBin</c> (6 digits), <c>accountNumber</c>, <c>amount</c> (integer đồng,
/// negative = money out), <c>content</c> (string, may be empty), <c>bookedAt</c> (ISO 8601 with offset), and optional
/// <c>counterpartyName</c>, <c>counterpartyAccount</c>, <c>direction</c> (<c>in</c>/<c>out</c>, must agree with the
/// sign of <c>amount</c>), <c>bankReference</c>, <c>subAccount</c>, <c>runningBalance</c> (integer đồng). Unknown
/// properties are ignored, so senders may add fields.
/// </remarks>
public sealed class GenericWebhookAdapter : IWebhookAdapter
{
    private readonly SecretText? _secret;

    /// <param name="options">The secret; blank disables the feed.</param>
    public GenericWebhookAdapter(GenericProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _secret = SecretText.From(options.Secret);
    }

    public string Provider => BankProviderCodes.Generic;

    public bool IsEnabled => _secret is not null;

    /// <summary>
    /// Verified when <c>X-Fees-Signature</c> is <c>sha256=</c> and the HMAC-SHA256 of the raw body in hex (either case).
    /// Missing when the header is absent or the secret is not configured; BadSignature otherwise. Never Stale: nothing is timestamped.
    /// </summary>
    public WebhookVerification Verify(WebhookRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_secret is null)
        {
            return WebhookVerification.Missing("The generic feed is disabled: Bank:Providers:generic:Secret is not set.");
        }
        string? header = request.Header(GenericSignature.HeaderName);
        if (header is null)
        {
            return WebhookVerification.Missing("No X-Fees-Signature header.");
        }
        if (!header.StartsWith(GenericSignature.Prefix, StringComparison.Ordinal)
            || !Hex.TryDecode(header.AsSpan(GenericSignature.Prefix.Length), HMACSHA256.HashSizeInBytes, out byte[] presented))
        {
            return WebhookVerification.BadSignature("X-Fees-Signature is not sha256=<64 hex digits>.");
        }
        byte[] expected = GenericSignature.Mac(_secret.KeyBytes, request.Body.Span);
        return CryptographicOperations.FixedTimeEquals(expected, presented)
            ? WebhookVerification.Verified("X-Fees-Signature matches the body.")
            : WebhookVerification.BadSignature("X-Fees-Signature does not match the body.");
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
        string? id = reader.Id(Get(o, "transactionId"), "$.transactionId", required: true, allowNumber: false);
        string? bin = reader.Bin(Get(o, "bankBin"), "$.bankBin", required: true);
        string? account = reader.Account(Get(o, "accountNumber"), "$.accountNumber", required: true);
        string? subAccount = reader.Account(Get(o, "subAccount"), "$.subAccount", required: false);
        long? amount = reader.SignedAmount(Get(o, "amount"), "$.amount");
        TransferDirection? stated = reader.Direction(Get(o, "direction"), "$.direction", required: false);
        string? content = reader.Content(Get(o, "content"), "$.content", required: true);
        DateTimeOffset? bookedAt = reader.IsoInstant(Get(o, "bookedAt"), "$.bookedAt");
        string? counterpartyName = reader.String(Get(o, "counterpartyName"), "$.counterpartyName", BankTransactionLimits.MaxNameLength, required: false, trim: true);
        string? counterpartyAccount = reader.String(Get(o, "counterpartyAccount"), "$.counterpartyAccount", BankTransactionLimits.MaxCounterpartyAccountLength, required: false, trim: true);
        string? reference = reader.Id(Get(o, "bankReference"), "$.bankReference", required: false, allowNumber: false);
        long? balance = reader.Balance(Get(o, "runningBalance"), "$.runningBalance");

        if (amount is { } signed && stated is { } direction && (direction == TransferDirection.In) != (signed > 0))
        {
            reader.Fail("$.direction", FieldErrorCodes.BadDirection, "direction contradicts the sign of amount.",
                "Chiều giao dịch không khớp với dấu của số tiền.");
        }
        if (reader.ErrorCount > 0)
        {
            return null;
        }
        return new BankTransaction
        {
            Provider = BankProviderCodes.Generic,
            TransactionId = id!,
            BankReference = reference,
            BankBin = bin,
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
}

using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using FakeBank.Banking;
using FakeBank.Configuration;
using FakeBank.Time;

namespace FakeBank.Providers;

/// <summary>The webhook bodies and headers, field for field as each provider sends them (README "Wire formats").</summary>
internal static class WebhookFormats
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Vietnamese letters travel as UTF-8, not as \u escapes, like the providers' own (Node/PHP) senders.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Body(Provider provider, BankTransaction transaction, FakeBankSettings settings) => provider switch
    {
        Provider.Generic => Write(w => Generic(w, transaction)),
        Provider.SePay => Write(w => SePay(w, transaction, settings.SePay)),
        Provider.Casso => Write(w => Casso(w, transaction)),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    /// <summary>The authentication headers of one attempt; <paramref name="now"/> (bank clock) stamps SePay's and Casso's signatures.</summary>
    public static List<KeyValuePair<string, string>> Headers(Provider provider, byte[] body, ProviderSettings settings, DateTimeOffset now)
    {
        var headers = new List<KeyValuePair<string, string>>();
        switch (provider)
        {
            case Provider.Generic:
                headers.Add(new("X-Fees-Signature", Signatures.Generic(settings.Secret ?? "", body)));
                break;
            case Provider.SePay:
                string mode = settings.AuthMode ?? "apikey";
                if (mode is "apikey" or "both")
                {
                    headers.Add(new("Authorization", "Apikey " + settings.ApiKey));
                }
                if (mode is "hmac" or "both")
                {
                    long seconds = now.ToUnixTimeSeconds();
                    headers.Add(new("X-SePay-Timestamp", seconds.ToString(CultureInfo.InvariantCulture)));
                    headers.Add(new("X-SePay-Signature", Signatures.SePay(settings.HmacSecret ?? "", seconds, body)));
                }
                break;
            case Provider.Casso:
                using (var document = JsonDocument.Parse(body))
                {
                    string canonical = CanonicalJson.Write(document.RootElement);
                    headers.Add(new("X-Casso-Signature", Signatures.Casso(settings.ChecksumKey ?? "", now.ToUnixTimeMilliseconds(), canonical)));
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
        return headers;
    }

    /// <summary>SePay's <c>code</c>: the first configured prefix followed by the configured number of letters/digits, upper-cased; null without prefixes or a match.</summary>
    public static string? SePayCode(string content, ProviderSettings settings)
    {
        if (settings.CodePrefixes is not { Count: > 0 } prefixes)
        {
            return null;
        }
        string pattern = $"(?:{string.Join('|', prefixes.Select(Regex.Escape))})[A-Za-z0-9]{{{settings.CodeSuffixLength ?? 8}}}";
        var match = Regex.Match(content, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success ? match.Value.ToUpperInvariant() : null;
    }

    /// <summary>SePay's <c>description</c>: the raw notification text, <c>BankAPINotify</c> and the content.</summary>
    public static string SePayDescription(BankTransaction transaction) => "BankAPINotify " + transaction.Content;

    private static void Generic(Utf8JsonWriter w, BankTransaction t)
    {
        w.WriteStartObject();
        w.WriteString("transactionId", t.GenericId);
        w.WriteString("bankBin", t.Bin);
        w.WriteString("accountNumber", t.AccountNumber);
        w.WriteNumber("amount", t.SignedAmount);
        w.WriteString("content", t.Content);
        w.WriteString("bookedAt", VietnamTime.Iso(t.BookedAt));
        WriteNullable(w, "counterpartyName", t.CounterpartyName);
        WriteNullable(w, "counterpartyAccount", t.CounterpartyAccount);
        w.WriteString("bankReference", t.BankReference);
        w.WriteString("direction", t.Direction);
        w.WriteNumber("runningBalance", t.BalanceAfter);
        w.WriteEndObject();
    }

    private static void SePay(Utf8JsonWriter w, BankTransaction t, ProviderSettings settings)
    {
        w.WriteStartObject();
        w.WriteNumber("id", t.SePayId);
        w.WriteString("gateway", BankDirectory.Find(t.Bin).SePayGateway);
        w.WriteString("transactionDate", VietnamTime.Wall(t.BookedAt));
        w.WriteString("accountNumber", t.AccountNumber);
        WriteNullable(w, "code", SePayCode(t.Content, settings));
        w.WriteString("content", t.Content);
        w.WriteString("transferType", t.Direction);
        w.WriteNumber("transferAmount", t.Amount);
        w.WriteNumber("accumulated", t.BalanceAfter);
        w.WriteNull("subAccount");
        w.WriteString("referenceCode", t.BankReference);
        w.WriteString("description", SePayDescription(t));
        w.WriteEndObject();
    }

    private static void Casso(Utf8JsonWriter w, BankTransaction t)
    {
        var bank = BankDirectory.Find(t.Bin);
        var counterBank = t.CounterpartyBin is { } bin ? BankDirectory.Find(bin) : null;
        w.WriteStartObject();
        w.WriteNumber("error", 0);
        w.WriteStartObject("data");
        w.WriteNumber("id", t.CassoId);
        w.WriteString("reference", t.BankReference);
        w.WriteString("description", t.Content);
        w.WriteNumber("amount", t.SignedAmount);
        w.WriteNumber("runningBalance", t.BalanceAfter);
        w.WriteString("transactionDateTime", VietnamTime.Wall(t.BookedAt));
        w.WriteString("accountNumber", t.AccountNumber);
        w.WriteString("bankName", bank.ShortName);
        w.WriteString("bankAbbreviation", bank.CassoAbbreviation);
        w.WriteString("virtualAccountNumber", "");
        w.WriteString("virtualAccountName", "");
        w.WriteString("counterAccountName", t.CounterpartyName ?? "");
        w.WriteString("counterAccountNumber", t.CounterpartyAccount ?? "");
        w.WriteString("counterAccountBankId", t.CounterpartyBin ?? "");
        w.WriteString("counterAccountBankName", counterBank?.ShortName ?? "");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            write(writer);
        }
        return stream.ToArray();
    }
}

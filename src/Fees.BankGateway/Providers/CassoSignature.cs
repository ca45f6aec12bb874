using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Fees.BankGateway.Providers;

/// <summary>
/// Casso's webhook authentications. v2: <c>X-Casso-Signature: t=&lt;unix ms&gt;,v1=&lt;hex&gt;</c> with
/// v1 = HMAC-SHA512(checksum key, <c>t + "." + CanonicalJson(body)</c>). Legacy: <c>Secure-Token: &lt;token&gt;</c>.
/// </summary>
/// <remarks>
/// <para><b>Source.</b> Casso's own published sample (<c>CassoHQ/casso-webhook-v2-verify-signature</c>, README steps 3–6 and
/// its JavaScript) signs the whole webhook body, <c>{"data":{…},"error":0}</c>, keys sorted; its published key, <c>t</c> and
/// <c>v1</c> are a test vector here. (The research notes' "JSON(data …)" read as the inner object; the sample proves the
/// whole body.) The signed text is:</para>
/// <list type="number">
/// <item><c>t</c> exactly as sent in the header (ASCII digits), then <c>.</c>, then</item>
/// <item><see cref="CanonicalJson"/> of the whole body (an object with <c>data</c> and <c>error</c>), which mirrors JavaScript's
/// <c>JSON.stringify</c> of the object with keys sorted recursively:
///   <list type="bullet">
///   <item>no white space at all (<c>{"a":1,"b":"x"}</c>);</item>
///   <item>object keys sorted by ordinal UTF-16 code-unit order (JavaScript's default <c>Array.prototype.sort</c>), at every
///   depth, including objects inside arrays; array order kept;</item>
///   <item>strings escaped as <c>JSON.stringify</c> does: <c>\"</c>, <c>\\</c>, <c>\b</c>, <c>\f</c>, <c>\n</c>,
///   <c>\r</c>, <c>\t</c>, other U+0000–U+001F as <c>\u00xx</c> (lowercase hex); everything else, Vietnamese letters
///   included, written literally (not <c>\u</c>-escaped; <c>/</c>, <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c>, <c>'</c> not escaped);</item>
///   <item>numbers written with the same text as in the body (<c>599000</c> stays <c>599000</c>; JavaScript would rewrite a
///   non-canonical literal such as <c>1.50</c> or <c>1e3</c>, Casso's own serializer does not send those);</item>
///   <item><c>true</c>, <c>false</c>, <c>null</c> literally;</item>
///   </list></item>
/// <item>the whole text encoded as UTF-8, HMAC-SHA512 with the checksum key's UTF-8 bytes, compared with <c>v1</c>
/// decoded from hex (either case). Several <c>v1</c> entries are allowed (any may match); unknown <c>k=v</c> entries are ignored.</item>
/// </list>
/// <para>The whole body is signed; <see cref="CassoWebhookAdapter.Parse"/> reads transactions from <c>data</c>. The
/// timestamp must be within 5 minutes of now.</para>
/// </remarks>
public static class CassoSignature
{
    /// <summary>The v2 signature header.</summary>
    public const string HeaderName = "X-Casso-Signature";

    /// <summary>The legacy token header.</summary>
    public const string LegacyTokenHeader = "Secure-Token";

    /// <summary>
    /// The <see cref="HeaderName"/> value for <paramref name="body"/> (a whole webhook body with a top-level <c>data</c>)
    /// signed at <paramref name="unixMilliseconds"/>: <c>t=…,v1=&lt;128 lowercase hex digits&gt;</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The key is empty, or the body is not a JSON object with <c>data</c>.</exception>
    public static string Sign(string checksumKey, long unixMilliseconds, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(checksumKey);
        ArgumentOutOfRangeException.ThrowIfNegative(unixMilliseconds);
        if (!WebhookJson.TryParse(body, out var document, out string? error))
        {
            throw new ArgumentException(error, nameof(body));
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("data", out _))
            {
                throw new ArgumentException("The body is not a JSON object with a data property.", nameof(body));
            }
            string t = unixMilliseconds.ToString(CultureInfo.InvariantCulture);
            return "t=" + t + ",v1=" + Convert.ToHexStringLower(Mac(Encoding.UTF8.GetBytes(checksumKey), t, document.RootElement));
        }
    }

    /// <summary>
    /// <paramref name="value"/> written as JavaScript's <c>JSON.stringify</c> writes it after sorting object keys
    /// recursively (rules in the type's remarks).
    /// </summary>
    /// <exception cref="InvalidOperationException">A string holds an escaped unpaired surrogate (it has no .NET string form).</exception>
    public static string CanonicalJson(JsonElement value)
    {
        var builder = new StringBuilder();
        Write(builder, value);
        return builder.ToString();
    }

    internal static byte[] Mac(ReadOnlySpan<byte> key, string t, JsonElement body) =>
        HMACSHA512.HashData(key, Encoding.UTF8.GetBytes(t + "." + CanonicalJson(body)));

    /// <summary>Reads <c>t=…,v1=…[,v1=…]</c>: exactly one <c>t</c> (digits), at least one <c>v1</c> (128 hex digits).</summary>
    internal static bool TryParseHeader(string header, out string t, out List<byte[]> v1)
    {
        t = "";
        v1 = [];
        int tCount = 0;
        foreach (string part in header.Split(','))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return false;
            }
            string key = part[..equals].Trim();
            string value = part[(equals + 1)..].Trim();
            if (key == "t")
            {
                t = value;
                tCount++;
            }
            else if (key == "v1")
            {
                if (!Hex.TryDecode(value, HMACSHA512.HashSizeInBytes, out byte[] mac))
                {
                    return false;
                }
                v1.Add(mac);
            }
        }
        return tCount == 1 && v1.Count > 0;
    }

    private static void Write(StringBuilder builder, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = value.EnumerateObject().Select(p => (p.Name, p.Value)).ToList();
                properties.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                builder.Append('{');
                for (int i = 0; i < properties.Count; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(',');
                    }
                    WriteString(builder, properties[i].Name);
                    builder.Append(':');
                    Write(builder, properties[i].Value);
                }
                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                int index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        builder.Append(',');
                    }
                    Write(builder, item);
                }
                builder.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(builder, value.GetString()!);
                break;
            case JsonValueKind.Number:
                builder.Append(value.GetRawText());
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            case JsonValueKind.Null:
                builder.Append("null");
                break;
            default:
                throw new ArgumentException("An undefined JSON element has no canonical form.", nameof(value));
        }
    }

    private static void WriteString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (char c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case < ' ':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
        builder.Append('"');
    }
}

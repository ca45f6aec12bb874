using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakeBank.Tests.Infrastructure;

/// <summary>
/// The tests' own computation of each provider's signature, written apart from FakeBank's (a different JSON path for
/// Casso: JsonNode rebuilt with sorted keys and serialized by System.Text.Json), so the two must agree from the recipe alone.
/// </summary>
public static class IndependentSigner
{
    private static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Generic(string secret, byte[] body)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        return "sha256=" + Convert.ToHexString(hmac.ComputeHash(body)).ToLowerInvariant();
    }

    public static string SePay(string secret, string timestamp, byte[] body)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        byte[] signed = [.. Encoding.ASCII.GetBytes(timestamp + "."), .. body];
        return "sha256=" + Convert.ToHexString(hmac.ComputeHash(signed)).ToLowerInvariant();
    }

    /// <summary>v1 for <paramref name="signedJson"/> (what Casso signs: the webhook body) at <paramref name="t"/>.</summary>
    public static string CassoV1(string checksumKey, string t, string signedJson)
    {
        var sorted = Sorted(JsonNode.Parse(signedJson));
        string canonical = sorted?.ToJsonString(Compact) ?? "null";
        using var hmac = new HMACSHA512(Encoding.UTF8.GetBytes(checksumKey));
        return Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(t + "." + canonical))).ToLowerInvariant();
    }

    /// <summary>Splits <c>t=…,v1=…</c>.</summary>
    public static (string T, string V1) ParseCassoHeader(string header)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return (parts["t"], parts["v1"]);
    }

    public static long UnixMilliseconds(string t) => long.Parse(t, CultureInfo.InvariantCulture);

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        null => null,
        _ => node.DeepClone(),
    };
}

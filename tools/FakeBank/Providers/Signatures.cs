using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FakeBank.Providers;

/// <summary>The three signatures, each computed here from its own recipe (never shared with the service's code).</summary>
internal static class Signatures
{
    /// <summary>generic: <c>sha256=</c> + lowercase hex HMAC-SHA256(secret, raw body).</summary>
    public static string Generic(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>SePay: <c>sha256=</c> + hex HMAC-SHA256(secret, <c>"{unix seconds}.{raw body}"</c>).</summary>
    public static string SePay(string secret, long unixSeconds, byte[] body)
    {
        byte[] prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        byte[] message = [.. prefix, .. body];
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    /// <summary>Casso v2: <c>t={unix ms},v1={hex HMAC-SHA512(checksum key, "{t}." + canonical JSON of the whole body)}</c>.</summary>
    public static string Casso(string checksumKey, long unixMilliseconds, string canonicalBody)
    {
        string t = unixMilliseconds.ToString(CultureInfo.InvariantCulture);
        byte[] mac = HMACSHA512.HashData(Encoding.UTF8.GetBytes(checksumKey), Encoding.UTF8.GetBytes(t + "." + canonicalBody));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }
}

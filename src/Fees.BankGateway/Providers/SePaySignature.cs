using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Fees.BankGateway.Providers;

/// <summary>
/// SePay's two webhook authentications: <c>Authorization: Apikey &lt;key&gt;</c>, or the HMAC variant
/// <c>X-SePay-Signature: sha256=&lt;hex HMAC-SHA256(secret, "{timestamp}.{rawBody}")&gt;</c> with
/// <c>X-SePay-Timestamp: &lt;unix seconds&gt;</c>.
/// </summary>
/// <remarks>
/// [U] The HMAC signing string and the <c>sha256=</c> prefix are taken from third-party code, not from SePay's own
/// page (research notes §4). As implemented: the bytes signed are the timestamp header value exactly as sent (ASCII
/// digits), one <c>.</c>, then the raw body bytes; the key is the secret's UTF-8 bytes; the hex may be either case.
/// Verify against a real delivery before relying on it.
/// </remarks>
public static class SePaySignature
{
    /// <summary>The HMAC signature header.</summary>
    public const string SignatureHeader = "X-SePay-Signature";

    /// <summary>The signed timestamp header, unix seconds.</summary>
    public const string TimestampHeader = "X-SePay-Timestamp";

    /// <summary>The algorithm prefix of <see cref="SignatureHeader"/>; matched exactly.</summary>
    public const string Prefix = "sha256=";

    /// <summary>The <c>Authorization</c> scheme of the API-key variant; matched case-insensitively.</summary>
    public const string ApiKeyScheme = "Apikey";

    /// <summary>The <see cref="SignatureHeader"/> value for <paramref name="body"/> sent with <see cref="TimestampHeader"/> = <paramref name="unixSeconds"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unixSeconds"/> is negative.</exception>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentOutOfRangeException.ThrowIfNegative(unixSeconds);
        string timestamp = unixSeconds.ToString(CultureInfo.InvariantCulture);
        return Prefix + Convert.ToHexStringLower(Mac(Encoding.UTF8.GetBytes(secret), timestamp, body));
    }

    /// <summary>The <c>Authorization</c> value of the API-key variant: <c>Apikey &lt;key&gt;</c>.</summary>
    public static string Authorization(string apiKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        return ApiKeyScheme + " " + apiKey;
    }

    internal static byte[] Mac(ReadOnlySpan<byte> key, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.ASCII.GetBytes(timestamp));
        hmac.AppendData("."u8);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}

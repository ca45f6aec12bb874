using System.Security.Cryptography;
using System.Text;

namespace Fees.BankGateway.Providers;

/// <summary>
/// The generic feed's signature (contract row <c>POST /api/bank/notifications/generic</c>):
/// <c>X-Fees-Signature: sha256=&lt;lowercase hex HMAC-SHA256(secret, raw body)&gt;</c>. The key is the secret's UTF-8 bytes.
/// </summary>
/// <remarks>
/// The signature covers the exact body bytes, so the sender must sign the bytes it sends (no re-serializing after
/// signing). There is no timestamp: a replayed body is a redelivery, answered <c>duplicate</c> by the dedupe on
/// <c>transactionId</c>.
/// </remarks>
public static class GenericSignature
{
    /// <summary>The header carrying the signature.</summary>
    public const string HeaderName = "X-Fees-Signature";

    /// <summary>The algorithm prefix of the header value; matched exactly (lower case).</summary>
    public const string Prefix = "sha256=";

    /// <summary>The header value for <paramref name="body"/>: <c>sha256=</c> and 64 lowercase hex digits.</summary>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is null or empty.</exception>
    public static string Sign(string secret, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return Prefix + Convert.ToHexStringLower(Mac(Encoding.UTF8.GetBytes(secret), body));
    }

    internal static byte[] Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> body) => HMACSHA256.HashData(key, body);
}

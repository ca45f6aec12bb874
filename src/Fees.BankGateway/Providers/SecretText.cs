using System.Security.Cryptography;
using System.Text;

namespace Fees.BankGateway.Providers;

/// <summary>
/// A configured secret held as bytes, compared in constant time. Never printed: <see cref="ToString"/> says only whether it is set.
/// </summary>
internal sealed class SecretText
{
    private readonly byte[] _utf8;
    private readonly byte[] _sha256;

    private SecretText(string secret)
    {
        _utf8 = Encoding.UTF8.GetBytes(secret);
        _sha256 = SHA256.HashData(_utf8);
    }

    /// <summary>The secret, or <see langword="null"/> when <paramref name="configured"/> is null, empty or white space (disabled).</summary>
    public static SecretText? From(string? configured) => string.IsNullOrWhiteSpace(configured) ? null : new SecretText(configured);

    /// <summary>The HMAC key: the UTF-8 bytes of the configured string, as is (no trimming, no base64 or hex decoding).</summary>
    public ReadOnlySpan<byte> KeyBytes => _utf8;

    /// <summary>
    /// Whether <paramref name="presented"/> equals the secret. Both sides are hashed with SHA-256 first, so the comparison
    /// takes the same time whatever the presented length, and <see cref="CryptographicOperations.FixedTimeEquals"/> does not
    /// stop at the first differing byte.
    /// </summary>
    public bool Matches(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        return CryptographicOperations.FixedTimeEquals(hash, _sha256);
    }

    public override string ToString() => "(secret)";
}

using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Fees.Domain.Receipts;

/// <summary>
/// The public half of a <see cref="ReceiptSigningKey"/>: checks receipts, cannot sign them. Every key the service has
/// signed with is kept by its <see cref="KeyId"/>, so a biên lai stays verifiable on every instance and after the key
/// is replaced; the id is derived from the key itself, so a stored key cannot pass for another.
/// </summary>
public sealed class ReceiptPublicKey : IDisposable
{
    /// <summary>The longest PEM accepted: a P-256 SubjectPublicKeyInfo is 91 bytes, about 180 characters in PEM.</summary>
    public const int MaxPemLength = 1_000;

    private const string P256Oid = "1.2.840.10045.3.1.7";

    private readonly ECDsa _key;

    private ReceiptPublicKey(ECDsa key)
    {
        if (key.ExportParameters(includePrivateParameters: false).Curve.Oid?.Value != P256Oid)
        {
            key.Dispose();
            throw new ArgumentException("A receipt key is an ECDSA key on NIST P-256.", nameof(key));
        }
        _key = key;
        KeyId = IdOf(key);
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>The first 8 bytes of the SHA-256 of the public key (SubjectPublicKeyInfo), in hex.</summary>
    public string KeyId { get; }

    /// <summary>The key, PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    public string PublicKeyPem { get; }

    /// <summary>The public part of an ECDSA key (private parameters, if any, are not kept).</summary>
    internal static ReceiptPublicKey Of(ECDsa key)
    {
        var copy = ECDsa.Create();
        copy.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        return new ReceiptPublicKey(copy);
    }

    /// <summary>The key id of an ECDSA key: the first 8 bytes of the SHA-256 of its SubjectPublicKeyInfo, in hex.</summary>
    internal static string IdOf(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()).AsSpan(0, 8));

    /// <summary>A public key in PEM (<c>PUBLIC KEY</c>) on P-256.</summary>
    /// <exception cref="ArgumentException">Not a PEM public key on P-256, or longer than <see cref="MaxPemLength"/>.</exception>
    public static ReceiptPublicKey FromPem(string pem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pem);
        if (pem.Length > MaxPemLength)
        {
            throw new ArgumentException("Not a PEM ECDSA public key.", nameof(pem));
        }
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new ArgumentException("Not a PEM ECDSA public key.", nameof(pem), e);
        }
        return Of(key);
    }

    /// <summary>Is <paramref name="signature"/> this key's signature of exactly this receipt? False for anything malformed.</summary>
    public bool Verify(PaymentReceipt receipt, string? signature)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        if (signature is not { Length: ReceiptSigningKey.SignatureLength } || !signature.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[64];
        if (!Base64Url.TryDecodeFromChars(signature, bytes, out int written) || written != 64
            || Base64Url.EncodeToString(bytes) != signature)
        {
            return false;
        }
        return _key.VerifyData(Encoding.UTF8.GetBytes(receipt.CanonicalText()), bytes, HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public void Dispose() => _key.Dispose();
}

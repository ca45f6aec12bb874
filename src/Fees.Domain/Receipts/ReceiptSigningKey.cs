using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Fees.Domain.Receipts;

/// <summary>
/// The service's key for receipts: ECDSA on NIST P-256 with SHA-256 over the UTF-8 bytes of
/// <see cref="PaymentReceipt.CanonicalText"/>. A signature is the 64-byte IEEE P1363 form (r ‖ s) in base64url without
/// padding: 86 characters, short enough for a receipt's QR code.
/// </summary>
/// <remarks>
/// Whoever has the public key (<see cref="PublicKeyPem"/>) can check a receipt; only the service can make one. ECDSA
/// signatures are randomised: signing the same text twice gives two different valid signatures, so a receipt stores the
/// one it was issued with.
/// </remarks>
public sealed class ReceiptSigningKey : IDisposable
{
    /// <summary>Characters of a signature (64 bytes in base64url).</summary>
    public const int SignatureLength = 86;

    private readonly ECDsa _key;

    /// <remarks>The curve is checked once, by <see cref="ReceiptPublicKey"/>: a key not on P-256 is refused there.</remarks>
    private ReceiptSigningKey(ECDsa key)
    {
        try
        {
            PublicKey = ReceiptPublicKey.Of(key);
        }
        catch (ArgumentException)
        {
            key.Dispose();
            throw;
        }
        _key = key;
    }

    /// <summary>The key that checks this key's signatures, kept by the service under <see cref="KeyId"/>.</summary>
    public ReceiptPublicKey PublicKey { get; }

    /// <summary>The first 8 bytes of the SHA-256 of the public key (SubjectPublicKeyInfo), in hex: names the key a receipt was signed with.</summary>
    public string KeyId => PublicKey.KeyId;

    /// <summary>The public key, PEM (<c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    public string PublicKeyPem => PublicKey.PublicKeyPem;

    public static ReceiptSigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>A private key in PEM (PKCS#8 <c>PRIVATE KEY</c> or SEC 1 <c>EC PRIVATE KEY</c>).</summary>
    /// <exception cref="ArgumentException">Not a PEM private key on P-256.</exception>
    public static ReceiptSigningKey FromPem(string pem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            _ = key.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new ArgumentException("Not a PEM ECDSA private key.", nameof(pem), e);
        }
        return new ReceiptSigningKey(key);
    }

    /// <summary>The private key as PKCS#8 PEM, for the file the service keeps it in.</summary>
    public string ExportPrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>A new signature of the receipt's canonical text (base64url, <see cref="SignatureLength"/> characters).</summary>
    public string Sign(PaymentReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        byte[] signature = _key.SignData(Encoding.UTF8.GetBytes(receipt.CanonicalText()), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return Base64Url.EncodeToString(signature);
    }

    /// <summary>Is <paramref name="signature"/> this key's signature of exactly this receipt? False for anything malformed.</summary>
    public bool Verify(PaymentReceipt receipt, string? signature) => PublicKey.Verify(receipt, signature);

    public void Dispose()
    {
        PublicKey.Dispose();
        _key.Dispose();
    }
}

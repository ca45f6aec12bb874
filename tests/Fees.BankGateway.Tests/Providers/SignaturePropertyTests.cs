using System.Text.Json;
using FsCheck.Xunit;
using Fees.BankGateway.Providers;
using static Fees.BankGateway.Tests.Providers.Webhooks;

namespace Fees.BankGateway.Tests.Providers;

/// <summary>The signature laws, over generated secrets and bodies.</summary>
public class SignaturePropertyTests
{
    /// <summary>Generic: for any body and secret, Verify(Sign(body)) is Verified, and any single-bit flip of the body is BadSignature.</summary>
    [Property(Arbitrary = [typeof(ProviderArbitraries)], MaxTest = 300)]
    public void Generic_VerifiesTheSignedBody_AndRefusesAnySingleBitFlip(SignedBody input)
    {
        var adapter = new GenericWebhookAdapter(new GenericProviderOptions { Secret = input.Secret });
        string header = GenericSignature.Sign(input.Secret, input.Body);

        Assert.Equal(WebhookVerificationStatus.Verified, adapter.Verify(Request(input.Body, (GenericSignature.HeaderName, header)), Now).Status);
        Assert.Equal(WebhookVerificationStatus.BadSignature, adapter.Verify(Request(input.Flipped(), (GenericSignature.HeaderName, header)), Now).Status);
    }

    /// <summary>SePay HMAC: for any body and secret, Verify(Sign(body)) is Verified, and any single-bit flip of the body is BadSignature.</summary>
    [Property(Arbitrary = [typeof(ProviderArbitraries)], MaxTest = 300)]
    public void SePay_VerifiesTheSignedBody_AndRefusesAnySingleBitFlip(SignedBody input)
    {
        var adapter = new SePayWebhookAdapter(new SePayProviderOptions { HmacSecret = input.Secret });
        long seconds = Now.ToUnixTimeSeconds();
        var headers = new[]
        {
            (SePaySignature.SignatureHeader, SePaySignature.Sign(input.Secret, seconds, input.Body)),
            (SePaySignature.TimestampHeader, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };

        Assert.Equal(WebhookVerificationStatus.Verified, adapter.Verify(Request(input.Body, headers), Now).Status);
        Assert.Equal(WebhookVerificationStatus.BadSignature, adapter.Verify(Request(input.Flipped(), headers), Now).Status);
    }

    /// <summary>
    /// Casso v2: for any data and key, Verify(Sign(body)) is Verified. Casso signs the data's canonical form, not the bytes,
    /// so the law for a single-bit flip is: the flipped body is Verified exactly when its data still has the same canonical
    /// form (a flip in unsigned <c>error</c>, in indentation, or a hex digit's case in a <c>\u</c> escape), and BadSignature otherwise.
    /// </summary>
    [Property(Arbitrary = [typeof(ProviderArbitraries)], MaxTest = 300)]
    public void Casso_VerifiesTheSignedBody_AndRefusesAnyFlipThatChangesIt(CassoBody input)
    {
        var adapter = new CassoWebhookAdapter(new CassoProviderOptions { ChecksumKey = input.Secret });
        string header = CassoSignature.Sign(input.Secret, Now.ToUnixTimeMilliseconds(), input.Body);
        Assert.Equal(WebhookVerificationStatus.Verified, adapter.Verify(Request(input.Body, (CassoSignature.HeaderName, header)), Now).Status);

        byte[] flipped = input.Flipped();
        var status = adapter.Verify(Request(flipped, (CassoSignature.HeaderName, header)), Now).Status;
        bool sameData = CanonicalData(flipped) is { } canonical && canonical == CanonicalData(input.Body);
        Assert.Equal(sameData ? WebhookVerificationStatus.Verified : WebhookVerificationStatus.BadSignature, status);
    }

    private static string? CanonicalData(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { AllowDuplicateProperties = false });
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("data", out _)
                ? CassoSignature.CanonicalJson(document.RootElement)
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}

using Fees.BankGateway.Providers;

namespace Fees.BankGateway.Tests.Providers;

public class WebhookRequestTests
{
    [Fact]
    public void Header_IsCaseInsensitiveAndTrimmed()
    {
        var request = new WebhookRequest(ReadOnlyMemory<byte>.Empty, new Dictionary<string, string> { ["X-Casso-Signature"] = "  t=1,v1=ab  " });
        Assert.Equal("t=1,v1=ab", request.Header("x-casso-signature"));
        Assert.Null(request.Header("Secure-Token"));
    }

    [Fact]
    public void Header_CombinesRepeatedNames()
    {
        var request = Webhooks.Request([], ("Secure-Token", "a"), ("secure-token", "b"));
        Assert.Equal("a, b", request.Header("Secure-Token"));
    }

    [Fact]
    public void Constructor_Throws_OnNullHeaders() =>
        Assert.Throws<ArgumentNullException>(() => new WebhookRequest(ReadOnlyMemory<byte>.Empty, null!));

    [Fact]
    public void Verify_Throws_OnANullRequest()
    {
        IWebhookAdapter[] adapters =
        [
            new GenericWebhookAdapter(new GenericProviderOptions { Secret = "s" }),
            new SePayWebhookAdapter(new SePayProviderOptions { ApiKey = "k" }),
            new CassoWebhookAdapter(new CassoProviderOptions { ChecksumKey = "c" }),
        ];
        Assert.All(adapters, a => Assert.Throws<ArgumentNullException>(() => a.Verify(null!, Webhooks.Now)));
    }
}

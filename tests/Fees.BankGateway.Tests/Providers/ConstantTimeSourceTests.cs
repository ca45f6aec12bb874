namespace Fees.BankGateway.Tests.Providers;

/// <summary>
/// A guard on the source, because timing is not something a unit test can observe: secrets and MACs are compared only
/// with <c>CryptographicOperations.FixedTimeEquals</c>, never with an early-exit comparison.
/// </summary>
public class ConstantTimeSourceTests
{
    private static string ProvidersSource() => Fees.Testing.RepositoryFiles.PathOf("src", "Fees.BankGateway", "Providers");

    [Theory]
    [InlineData("GenericWebhookAdapter.cs")]
    [InlineData("SePayWebhookAdapter.cs")]
    [InlineData("CassoWebhookAdapter.cs")]
    [InlineData("SecretText.cs")]
    public void MacAndSecretComparisons_UseFixedTimeEquals(string file) =>
        Assert.Contains("CryptographicOperations.FixedTimeEquals(", File.ReadAllText(Path.Combine(ProvidersSource(), file)), StringComparison.Ordinal);

    [Fact]
    public void NoProviderCode_ComparesBytesOrSecretsWithAnEarlyExitComparison()
    {
        foreach (string file in Directory.GetFiles(ProvidersSource(), "*.cs"))
        {
            string text = File.ReadAllText(file);
            Assert.DoesNotContain("SequenceEqual(", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Secret ==", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Token ==", text, StringComparison.Ordinal);
            Assert.DoesNotContain("ApiKey ==", text, StringComparison.Ordinal);
        }
    }
}

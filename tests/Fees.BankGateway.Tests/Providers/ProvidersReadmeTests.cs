using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fees.BankGateway.Providers;

namespace Fees.BankGateway.Tests.Providers;

/// <summary>
/// <c>src/Fees.BankGateway/Providers/README.md</c> is the contract the fake bank implements: its examples must stay the
/// fixtures these tests verify, and its worked signatures must be what the signing helpers produce.
/// </summary>
public partial class ProvidersReadmeTests
{
    private static readonly string Root = Fees.Testing.RepositoryFiles.Root;
    private static readonly string Readme = File.ReadAllText(Path.Combine(Root, "src", "Fees.BankGateway", "Providers", "README.md"));

    [GeneratedRegex(@"<!-- fixture: (?<name>[\w/.-]+) -->\s*```json\n(?<json>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex FixtureBlock();

    [Theory]
    [InlineData("webhooks/generic-in.json")]
    [InlineData("webhooks/generic-out.json")]
    [InlineData("webhooks/sepay-in.json")]
    [InlineData("webhooks/sepay-out.json")]
    [InlineData("webhooks/casso-v2.json")]
    [InlineData("webhooks/casso-legacy.json")]
    [InlineData("history/sepay-transactions.json")]
    [InlineData("history/casso-transactions-page1.json")]
    public void Readme_ShowsEachFixtureExactly(string fixture)
    {
        var block = FixtureBlock().Matches(Readme).SingleOrDefault(m => m.Groups["name"].Value == fixture);
        Assert.True(block is not null, $"README has no example marked {fixture}");
        var documented = JsonNode.Parse(block.Groups["json"].Value);
        var tested = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", fixture)));
        Assert.True(JsonNode.DeepEquals(documented, tested), $"README example {fixture} differs from the fixture");
    }

    [Fact]
    public void Readme_GenericWorkedSignature_IsWhatSignProduces()
    {
        const string body = "{\"transactionId\":\"T1\",\"bankBin\":\"970436\",\"accountNumber\":\"0071000962707\",\"amount\":54756,\"content\":\"DP7K2QF9XZ Đảng phí\",\"bookedAt\":\"2026-09-05T14:03:00+07:00\"}";
        string header = "X-Fees-Signature: " + GenericSignature.Sign("demo-secret", Encoding.UTF8.GetBytes(body));
        Assert.Equal("X-Fees-Signature: sha256=3c1ba5f0827ad38ec2cf9e87c66154c1eb22bff17fc5f5110a4ec25734a5e7e9", header);
        Assert.Contains(body + "\n" + header, Readme, StringComparison.Ordinal);
        Assert.True(new GenericWebhookAdapter(new GenericProviderOptions { Secret = "demo-secret" }).Parse(Encoding.UTF8.GetBytes(body)).IsValid);
    }

    [Fact]
    public void Readme_SePayWorkedSignature_IsWhatSignProduces()
    {
        const string body = "{\"id\":92704,\"gateway\":\"Vietcombank\",\"transactionDate\":\"2026-09-05 14:02:37\",\"accountNumber\":\"0071000962707\",\"content\":\"DP7K2QF9XZ Đảng phí\",\"transferType\":\"in\",\"transferAmount\":54756}";
        string header = "X-SePay-Signature: " + SePaySignature.Sign("demo-secret", 1_788_592_200, Encoding.UTF8.GetBytes(body));
        Assert.Equal("X-SePay-Signature: sha256=a4bde60c628cba2c658da416a9782bbc6a66b658721058d9f6baeaa6051a4156", header);
        Assert.Contains(body + "\n" + header, Readme, StringComparison.Ordinal);
        Assert.True(new SePayWebhookAdapter(new SePayProviderOptions { ApiKey = "k" }).Parse(Encoding.UTF8.GetBytes(body)).IsValid);
    }

    [Fact]
    public void Readme_CassoWorkedSignature_IsWhatSignProduces()
    {
        const string body = "{\"error\":0,\"data\":{\"id\":1984623,\"description\":\"DP7K2QF9XZ Đảng phí\",\"amount\":54756,\"transactionDateTime\":\"2026-09-05 14:03:10\",\"accountNumber\":\"0071000962707\"}}";
        string header = "X-Casso-Signature: " + CassoSignature.Sign("demo-secret", 1_788_592_200_000, Encoding.UTF8.GetBytes(body));
        Assert.Equal("X-Casso-Signature: t=1788592200000,v1=3edb26ec7d5302650f6f25dbf268d85687b4a29d4d057d85e92d58920fdbd37be3f842a864c1131e451174f5a6102e503526031338c2eb983dba232db63826d8", header);
        Assert.Contains(body + "\n", Readme, StringComparison.Ordinal);
        Assert.Contains(header, Readme, StringComparison.Ordinal);
        Assert.True(new CassoWebhookAdapter(new CassoProviderOptions { ChecksumKey = "k" }).Parse(Encoding.UTF8.GetBytes(body)).IsValid);
    }
}

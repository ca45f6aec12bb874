using System.Text;
using System.Text.Json.Nodes;
using Fees.BankGateway.Providers;

namespace Fees.BankGateway.Tests.Providers;

/// <summary>Fixture bodies (TestData/webhooks), requests, and the fixed instants the tests use instead of a clock.</summary>
internal static class Webhooks
{
    /// <summary>The instant every test calls "now": 2026-09-05 14:10:00 Vietnam time.</summary>
    public static readonly DateTimeOffset Now = new(2026, 9, 5, 7, 10, 0, TimeSpan.Zero);

    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "webhooks", name));

    public static string FixtureText(string name) => Encoding.UTF8.GetString(Fixture(name));

    /// <summary>The fixture with <paramref name="change"/> applied to its root object, re-serialized compactly.</summary>
    public static byte[] Mutated(string name, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(Fixture(name))!.AsObject();
        change(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>The fixture's text with one literal replaced (for literals JsonNode would normalize, like <c>1e3</c>).</summary>
    public static byte[] Replaced(string name, string oldText, string newText)
    {
        string text = FixtureText(name);
        Assert.Contains(oldText, text, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text.Replace(oldText, newText, StringComparison.Ordinal));
    }

    public static WebhookRequest Request(byte[] body, params (string Name, string Value)[] headers) =>
        new(body, headers.Select(h => KeyValuePair.Create(h.Name, h.Value)));

    public static byte[] FlipByte(byte[] body, int index)
    {
        byte[] copy = (byte[])body.Clone();
        copy[index] ^= 0x01;
        return copy;
    }

    public static void AssertRefused(WebhookParse parse, string path, string code)
    {
        Assert.False(parse.IsValid, "the body was accepted");
        Assert.Empty(parse.Transactions);
        Assert.Contains(parse.Errors, e => e.Path == path && e.Code == code);
        Assert.All(parse.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.ReasonVietnamese)));
    }

    public static BankTransaction Single(WebhookParse parse)
    {
        Assert.True(parse.IsValid, parse.ToString());
        return Assert.Single(parse.Transactions);
    }
}

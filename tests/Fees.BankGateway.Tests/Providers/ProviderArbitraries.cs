using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Fees.BankGateway.Tests.Providers;

/// <summary>A secret, a body and which bit of the body to flip (taken modulo the body's bit count).</summary>
public sealed record SignedBody(string Secret, byte[] Body, int Bit)
{
    public byte[] Flipped()
    {
        int bit = Bit % (Body.Length * 8);
        byte[] copy = (byte[])Body.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    public override string ToString() => $"secret '{Secret}', {Body.Length} bytes, bit {Bit % (Body.Length * 8)}: {Encoding.UTF8.GetString(Body)}";
}

/// <summary>Generators for the signature laws: secrets and text with Vietnamese letters, quotes, controls and astral characters.</summary>
public static class ProviderArbitraries
{
    private static readonly char[] SecretChars =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!@#$%^&*()+=[]{}|;:,<>?/ăâđêôơưĂÂĐÊÔƠƯáàảãạếềểễệ".ToCharArray();

    private static readonly string[] TextPieces =
    [
        "a", "Z", "0", "9", " ", "\"", "\\", "/", "<", "&", "'", "\n", "\t", "\r", "\b", "\f", "\u0001", "\u001f", "\u007f",
        "đ", "Đ", "ả", "ồ", "ữ", "ạ", "€", "\u00a0", "\u2028", "😀", "𝔸", "DP7K2QF9XZ", "Đảng phí",
    ];

    private static readonly string[] Keys =
        ["id", "amount", "description", "reference", "accountNumber", "runningBalance", "bankName", "A", "a", "_", "", "é", "Đ", "z1", "Z1", "10", "2"];

    private static Gen<string> Secret() =>
        Gen.Choose(1, 48).SelectMany(n => Gen.Elements(SecretChars).ArrayOf(n)).Select(c => new string(c));

    private static Gen<string> Text() =>
        Gen.Choose(0, 12).SelectMany(n => Gen.Elements(TextPieces).ArrayOf(n)).Select(string.Concat);

    private static Gen<byte[]> Bytes() =>
        Gen.Choose(1, 600).SelectMany(n => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(n));

    private static Gen<JsonNode?> Leaf() =>
        Gen.OneOf(
            Text().Select(s => (JsonNode?)JsonValue.Create(s)),
            Gen.Choose(-1_000_000, 1_000_000).Select(i => (JsonNode?)JsonValue.Create((long)i * 1_000_003)),
            Gen.Choose(0, 2).Select(i => i switch { 0 => (JsonNode?)JsonValue.Create(true), 1 => JsonValue.Create(false), _ => null }));

    private static Gen<JsonObject> Object(Gen<JsonNode?> values) =>
        Gen.Choose(0, 8).SelectMany(n =>
            Gen.Elements(Keys).Zip(values).ArrayOf(n).Select(pairs =>
            {
                var node = new JsonObject();
                foreach (var (key, value) in pairs)
                {
                    node[key] = value;
                }
                return node;
            }));

    private static Gen<JsonObject> Data() =>
        Object(Gen.Frequency(
            (6, Leaf()),
            (1, Object(Leaf()).Select(o => (JsonNode?)o)),
            (1, Leaf().ArrayOf().Select(items => (JsonNode?)new JsonArray(items)))));

    public static Arbitrary<SignedBody> SignedBodies() =>
        (from secret in Secret()
         from body in Bytes()
         from bit in Gen.Choose(0, int.MaxValue)
         select new SignedBody(secret, body, bit)).ToArbitrary();

    /// <summary>A Casso v2 body <c>{"error":0,"data":{…}}</c>, written with or without \u escapes for non-ASCII.</summary>
    public static Arbitrary<CassoBody> CassoBodies() =>
        (from secret in Secret()
         from data in Data()
         from relaxed in Gen.Elements(true, false)
         from indented in Gen.Elements(true, false)
         from bit in Gen.Choose(0, int.MaxValue)
         select new CassoBody(secret, Serialize(data, relaxed, indented), bit)).ToArbitrary();

    private static byte[] Serialize(JsonObject data, bool relaxed, bool indented)
    {
        var options = new JsonSerializerOptions
        {
            Encoder = relaxed ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : JavaScriptEncoder.Default,
            WriteIndented = indented,
        };
        return Encoding.UTF8.GetBytes(new JsonObject { ["error"] = 0, ["data"] = data }.ToJsonString(options));
    }
}

public sealed record CassoBody(string Secret, byte[] Body, int Bit)
{
    public byte[] Flipped() => new SignedBody(Secret, Body, Bit).Flipped();

    public override string ToString() => new SignedBody(Secret, Body, Bit).ToString();
}

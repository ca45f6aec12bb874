using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FakeBank.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FakeBank.Tests;

/// <summary>
/// Each rewrite knob and preset, booked as a real transfer, gives exactly the documented content
/// (tools/FakeBank/README.md "Rewrite knobs"). Booked 2026-08-10 15:38:54 UTC = 22:38:54 on 10/08/26 in Vietnam.
/// </summary>
public class RewriteTests : IClassFixture<FakeBankFixture>, IAsyncLifetime
{
    private const string Note = "DP7K2QF9XA Đảng phí T8/2026";
    private const string CtTu = ".CT tu 0011001234567 NGUYEN VAN DUC toi 0071000123456 DANG UY XA AN PHU";

    private readonly FakeBankFixture _bank;

    public RewriteTests(FakeBankFixture bank) => _bank = bank;

    public async Task InitializeAsync()
    {
        await _bank.ResetAsync();
        await _bank.AccountAsync("970436", "0071000123456", "DANG UY XA AN PHU", ["generic", "sepay", "casso"]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> Knobs => new()
    {
        { "{}", Note },
        { """{"dropContent":true}""", "" },
        { """{"dropContent":true,"replacementContent":"NGUYEN VAN DUC chuyen tien"}""", "NGUYEN VAN DUC chuyen tien" },
        { """{"dropContent":true,"transferInfo":"vcb"}""", CtTu },
        { """{"splitReferenceAt":4}""", "DP7K 2QF9XA Đảng phí T8/2026" },
        { """{"splitReferenceAt":9}""", "DP7K2QF9X A Đảng phí T8/2026" },
        { """{"transferInfo":"vcb"}""", Note + CtTu },
        { """{"transferInfo":"mb","trace":"943148"}""", Note + "- Ma GD ACSP/ ji943148" },
        { """{"transferInfo":"mb","mbCode":"ih943148"}""", Note + "- Ma GD ACSP/ ih943148" },
        { """{"transferInfo":"vcb-to-mb","trace":"943148"}""", Note + CtTu + " tai MB- Ma GD ACSP/ ji943148" },
        { """{"walletPrefix":true,"walletTransactionId":"15330734312"}""", "15330734312-0011001234567-" + Note },
        { """{"bankPrefix":true,"bankPrefixNumber":"1234567"}""", "MBVCB.1234567." + Note },
        { """{"bankPrefix":true,"bankPrefixCode":"IBVCB","bankPrefixNumber":"1234567","bankPrefixTrace":true,"trace":"943148"}""", "IBVCB.1234567.943148." + Note },
        { """{"interbankPrefix":true,"trace":"884114"}""", "884114.100826.223854." + Note },
        { """{"customerPrefix":true}""", "CUSTOMER " + Note },
        { """{"stripDiacritics":true}""", "DP7K2QF9XA Dang phi T8/2026" },
        { """{"upperCase":true}""", "DP7K2QF9XA ĐẢNG PHÍ T8/2026" },
        { """{"bankPrefix":true,"bankPrefixNumber":"1234567","dotsToSpaces":true}""", "MBVCB 1234567 " + Note },
        { """{"doubleSpaces":true}""", "DP7K2QF9XA  Đảng  phí  T8/2026" },
        { """{"truncateTo":14}""", "DP7K2QF9XA Đản" },
        { """{"truncateTo":0}""", "" },
        { """{"lowerCase":true}""", "dp7k2qf9xa đảng phí t8/2026" },
        // The order is fixed whatever the order of the knobs in the request.
        { """{"lowerCase":true,"upperCase":true}""", "dp7k2qf9xa đảng phí t8/2026" },
        { """{"truncateTo":12,"upperCase":true,"stripDiacritics":true,"splitReferenceAt":2}""", "DP 7K2QF9XA " },
        { """{"truncateTo":13,"doubleSpaces":true}""", "DP7K2QF9XA  Đ" },
        { """{"customerPrefix":true,"interbankPrefix":true,"bankPrefix":true,"walletPrefix":true,"transferInfo":"mb","trace":"111111","bankPrefixNumber":"22","walletTransactionId":"33"}""",
            "CUSTOMER 111111.100826.223854.MBVCB.22.33-0011001234567-" + Note + "- Ma GD ACSP/ bb111111" },
    };

    public static TheoryData<string, string> Presets => new()
    {
        { """{"preset":"vcb-outgoing","bankPrefixNumber":"12625223638","trace":"943148"}""",
            "MBVCB.12625223638.943148.DP7K2QF9XA Dang phi T8/2026" + CtTu },
        { """{"preset":"vcb-to-mb","bankPrefixNumber":"12625223638","trace":"943148","mbCode":"ih943148"}""",
            "MBVCB.12625223638.943148.DP7K2QF9XA Dang phi T8/2026" + CtTu + " tai MB- Ma GD ACSP/ ih943148" },
        { """{"preset":"interbank-to-vcb","trace":"884114"}""", "884114.100826.223854.DP7K2QF9XA Dang phi T8/2026" },
        { """{"preset":"mb-received","bankPrefixNumber":"2420648919","trace":"339176"}""",
            "CUSTOMER MBVCB 2420648919 339176 DP7K2QF9XA Dang phi T8/2026 CT tu 0011001234567 NGUYEN VAN DUC toi 0071000123456 DANG UY XA AN PHU" },
        { """{"preset":"momo","trace":"311447","walletTransactionId":"15330734312"}""", "311447.100826.223854.15330734312-0011001234567-DP7K2QF9XA Dang phi T8/2026" },
        // A knob beside a preset overrides the preset's.
        { """{"preset":"interbank-to-vcb","trace":"884114","stripDiacritics":false}""", "884114.100826.223854." + Note },
        { """{"preset":"interbank-to-vcb","trace":"884114","truncateTo":25}""", "884114.100826.223854.DP7K" },
    };

    [Theory]
    [MemberData(nameof(Knobs))]
    public async Task EachKnob_GivesTheDocumentedContent(string rewrite, string expected) =>
        Assert.Equal(expected, (string)(await BookAsync(rewrite))["content"]!);

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task EachPreset_GivesTheDocumentedContent(string rewrite, string expected) =>
        Assert.Equal(expected, (string)(await BookAsync(rewrite))["content"]!);

    [Fact]
    public async Task StoredTransaction_KeepsTheOriginalAndTheStepsInOrder()
    {
        var transfer = await BookAsync("""{"preset":"mb-received"}""");

        Assert.Equal(Note, (string)transfer["originalContent"]!);
        Assert.Equal(
            ["transferInfo", "bankPrefix", "customerPrefix", "stripDiacritics", "dotsToSpaces"],
            transfer["rewriteSteps"]!.AsArray().Select(s => (string)s!));
    }

    [Fact]
    public async Task SplitReferenceAt_WithoutAReference_LeavesTheContentAlone()
    {
        var transfer = await _bank.TransferAsync(new
        {
            toBin = "970436",
            toAccount = "0071000123456",
            amount = 1000,
            content = "dong dang phi DPXX",
            rewrite = new { splitReferenceAt = 3 },
            delivery = new { skipWebhook = true },
        });

        Assert.Equal("dong dang phi DPXX", (string)transfer["content"]!);
        Assert.Empty(transfer["rewriteSteps"]!.AsArray());
    }

    [Fact]
    public async Task DefaultTraceAndNumbers_AreDigits_FixedByTheSequence()
    {
        async Task<string> Preview(long sequence) => (string)(await _bank.PostAsync("control/rewrite", new
        {
            content = "x",
            bookedAt = "2026-08-10T15:38:54Z",
            sequence,
            rewrite = new { preset = "vcb-outgoing" },
        })).Body!["content"]!;

        string first = await Preview(7);

        Assert.Matches(@"^MBVCB\.[0-9]{10}\.[0-9]{6}\.x\.CT tu", first);
        Assert.Equal(first, await Preview(7));
        Assert.NotEqual(first, await Preview(8));
    }

    [Fact]
    public async Task RewrittenContent_IsWhatEveryProviderReports()
    {
        var transfer = await _bank.TransferAsync(new
        {
            toBin = "970436",
            toAccount = "0071000123456",
            amount = 54_756,
            content = Note,
            fromName = "Nguyễn Văn Đức",
            fromAccount = "0011001234567",
            rewrite = new { preset = "interbank-to-vcb", trace = "884114" },
        });

        await _bank.WaitIdleAsync();
        string content = (string)transfer["content"]!;
        Assert.StartsWith("884114.", content, StringComparison.Ordinal);
        Assert.Equal(content, (string)JsonNode.Parse(_bank.Receiver.To("generic")[0].BodyText)!["content"]!);
        var sepay = JsonNode.Parse(_bank.Receiver.To("sepay")[0].BodyText)!;
        Assert.Equal(content, (string)sepay["content"]!);
        Assert.Equal("BankAPINotify " + content, (string)sepay["description"]!);
        Assert.Equal(content, (string)JsonNode.Parse(_bank.Receiver.To("casso")[0].BodyText)!["data"]!["description"]!);
    }

    [Theory]
    [InlineData("""{"preset":"nope"}""", "invalid_rewrite")]
    [InlineData("""{"splitReferenceAt":0}""", "invalid_rewrite")]
    [InlineData("""{"splitReferenceAt":10}""", "invalid_rewrite")]
    [InlineData("""{"transferInfo":"acb"}""", "invalid_rewrite")]
    [InlineData("""{"trace":"12345"}""", "invalid_rewrite")]
    [InlineData("""{"truncateTo":-1}""", "invalid_rewrite")]
    [InlineData("""{"upperCaes":true}""", "malformed_request")]
    public async Task BadKnobs_AreRefused_AndBookNothing(string rewrite, string code)
    {
        var (status, body) = await _bank.PostAsync("control/transfers", new
        {
            toBin = "970436",
            toAccount = "0071000123456",
            amount = 1000,
            content = Note,
            rewrite = JsonNode.Parse(rewrite),
        });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, (string)body!["code"]!);
        Assert.Empty((await _bank.GetJsonAsync("control/transfers")).AsArray());
    }

    // Laws over random notes, through POST /control/rewrite.
    private const string ReferenceAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    private static readonly string[] Words = ["Đảng", "phí", "tháng", "năm", "đóng", "nộp", "chi bộ", "Nguyễn", "Văn", "Đức", "T8", "2026", "quý III"];
    private static readonly string[] PresetNames = ["vcb-outgoing", "vcb-to-mb", "interbank-to-vcb", "mb-received", "momo"];

    public static Arbitrary<(string Reference, string Note, int Split, string Preset)> Notes { get; } = Arb.From(
        from prefix in Gen.Elements("DP", "DT")
        from body in Gen.Elements(ReferenceAlphabet.ToCharArray()).ArrayOf(8)
        from before in Gen.Elements(Words).ListOf().Select(w => w.Take(3))
        from after in Gen.Elements(Words).ListOf().Select(w => w.Take(4))
        from split in Gen.Choose(0, 9)
        from preset in Gen.Elements(PresetNames)
        let reference = prefix + new string(body)
        select (reference, string.Join(' ', [.. before, reference, .. after]), split, preset));

    [Property(MaxTest = 60)]
    public Property AReference_SurvivesEveryPreset_OnceSpacesAndPunctuationAreRemoved() =>
        Prop.ForAll(Notes, input =>
        {
            object rewrite = input.Split == 0
                ? new { preset = input.Preset }
                : new { preset = input.Preset, splitReferenceAt = (int?)input.Split };
            string content = PreviewAsync(input.Note, rewrite).GetAwaiter().GetResult();
            return Fold(content).Contains(input.Reference, StringComparison.Ordinal);
        });

    [Property(MaxTest = 40)]
    public Property TruncateTo_NeverLeavesMoreThanN() =>
        Prop.ForAll(Notes, Arb.From(Gen.Choose(0, 80)), (input, n) =>
            PreviewAsync(input.Note, new { preset = input.Preset, truncateTo = n }).GetAwaiter().GetResult().Length <= n);

    private async Task<string> PreviewAsync(string note, object rewrite)
    {
        var (status, body) = await _bank.PostAsync("control/rewrite", new
        {
            content = note,
            fromName = "Nguyễn Văn Đức",
            fromAccount = "0011001234567",
            toAccount = "0071000123456",
            toName = "DANG UY XA AN PHU",
            bookedAt = "2026-08-10T15:38:54Z",
            rewrite,
        });
        Assert.Equal(HttpStatusCode.OK, status);
        return (string)body!["content"]!;
    }

    /// <summary>What a tolerant matcher does: upper case, only A–Z and 0–9 (the presets already dropped the diacritics).</summary>
    private static string Fold(string text) => Regex.Replace(text.ToUpperInvariant(), "[^A-Z0-9]", "");

    private Task<JsonNode> BookAsync(string rewrite) => _bank.TransferAsync(new
    {
        toBin = "970436",
        toAccount = "0071000123456",
        amount = 54_756,
        content = Note,
        fromName = "Nguyễn Văn Đức",
        fromAccount = "0011001234567",
        fromBin = "970436",
        bookedAt = "2026-08-10T15:38:54Z",
        rewrite = JsonNode.Parse(rewrite),
        delivery = new { skipWebhook = true },
    });
}

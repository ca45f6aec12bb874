using Fees.Domain.Dues;
using Fees.Domain.Matching;

namespace Fees.Domain.Tests.Matching;

public class TransferContentTests
{
    private static readonly PaymentReference Duc = PaymentReference.ForMember(1042);      // DT84KD73XW
    private static readonly PaymentReference Mai = PaymentReference.ForMember(1043);      // DTGDYDMJG9
    private static readonly PaymentReference Request = PaymentReference.NewRequest(5001); // DPRBGB9EGU

    [Fact]
    public void Fold_StripsDiacriticsAndUpperCases_KeepingSeparators()
    {
        var content = TransferContent.Parse("Đảng phí tháng 8/2026 - Nguyễn Văn Đức");
        Assert.Equal("DANG PHI THANG 8/2026 - NGUYEN VAN DUC", content.Folded);
        Assert.Equal(["DANG", "PHI", "THANG", "8", "2026", "NGUYEN", "VAN", "DUC"], content.Words);
        Assert.Equal("DANGPHITHANG82026NGUYENVANDUC", content.Compact);
    }

    [Fact]
    public void Fold_ReadsTheLookAlikeEthAsD_AndControlCharactersAsSpaces()
    {
        Assert.Equal("DT DANG PHI", TransferContent.Fold("Ðt\tđảng\nphí"));
        Assert.Equal("DT", TransferContent.Fold("ðT"));
    }

    [Fact]
    public void Fold_UnifiesFullWidthCharacters()
    {
        Assert.Equal([Duc], TransferContent.FindReferences("ＤＴ８４ＫＤ７３ＸＷ").Select(f => f.Reference));
    }

    [Fact]
    public void Parse_TreatsNullAsTheEmptyContent()
    {
        var content = TransferContent.Parse(null);
        Assert.Equal("", content.Raw);
        Assert.Empty(content.References);
        Assert.IsType<ReceiptMatch.NoReference>(content.Match);
    }

    [Theory]
    [InlineData("DT84KD73XW", 0)]
    [InlineData("MBVCB.1457193831.DT84KD73XW.CT tu 0291000285902", 17)]
    [InlineData("MBVCB1457193831DT84KD73XWCTTU", 15)]
    [InlineData("DT84KD73XWDANGPHIT8", 0)]
    [InlineData("nop dt84kd73xw", 4)]
    public void FindReferences_ReadsAnIntactToken_InsideAnyWord(string content, int offset)
    {
        var found = Assert.Single(TransferContent.FindReferences(content));
        Assert.Equal(new FoundReference(Duc, offset, ReferenceReading.Intact), found);
    }

    [Theory]
    [InlineData("DT84K D73XW")]
    [InlineData("DT84K  D73XW")]
    [InlineData("DT84K - D73XW")]
    [InlineData("DT84K.D73XW")]
    [InlineData("DT84K_D73XW")]
    [InlineData("D T84KD73XW")]
    [InlineData("DT84KD73X W dang phi")]
    [InlineData("MBVCB.1457193831.DT84KD7 3XW.CT tu")]
    [InlineData("MBVCB1457193831DT84KD7 3XW")]
    public void FindReferences_JoinsATokenSplitOnce_ByAShortSeparatorRun(string content)
    {
        var found = Assert.Single(TransferContent.FindReferences(content));
        Assert.Equal(Duc, found.Reference);
        Assert.Equal(ReferenceReading.Joined, found.Reading);
        Assert.Equal('D', TransferContent.Parse(content).Folded[found.Offset]);
    }

    [Theory]
    [InlineData("DT-84KD-73XW", "split twice")]
    [InlineData("DT 84 KD 73 XW", "split four times")]
    [InlineData("DT84K    D73XW", "four spaces: more than a bank's wrap")]
    [InlineData("DT84K, D73XW", "a comma is not a split")]
    [InlineData("DT84K/D73XW", "a slash is not a split")]
    [InlineData("DT84K D73XWDANGPHI", "the token must end where the second word ends")]
    [InlineData("MBVCB.1457193831.DT84KD73", "truncated inside the token")]
    [InlineData("DT84KD73XA", "wrong check character")]
    public void FindReferences_DoesNotReadMangledTokens(string content, string why)
    {
        Assert.True(TransferContent.FindReferences(content).Count == 0, why);
    }

    [Fact]
    public void Match_IsMatched_WhenOneReferenceAppears_EvenTwice()
    {
        var match = Assert.IsType<ReceiptMatch.Matched>(TransferContent.MatchOf($"{Request} DANG PHI {Request.Value.ToLowerInvariant()}"));
        Assert.Equal(Request, match.Reference);
        Assert.Equal(0, match.Found.Offset);
    }

    [Fact]
    public void Match_IsAmbiguous_WhenTwoDistinctReferencesAppear_InOrderOfAppearance()
    {
        var match = Assert.IsType<ReceiptMatch.Ambiguous>(TransferContent.MatchOf($"{Mai} va {Duc}"));
        Assert.Equal([Mai, Duc], match.References);
    }

    [Fact]
    public void Match_IsAmbiguous_WhenAJoinedTokenAppearsNextToAnIntactOne()
    {
        // A joined candidate never loses to an intact one: two members in one transfer must not become one.
        var match = Assert.IsType<ReceiptMatch.Ambiguous>(TransferContent.MatchOf("DTGDYDMJG9 va DT84K D73XW"));
        Assert.Equal([Mai, Duc], match.References);
        Assert.Equal([ReferenceReading.Intact, ReferenceReading.Joined], match.Found.Select(f => f.Reading));
    }

    [Fact]
    public void Match_IsNoReference_ForTheResearchSamples()
    {
        string[] samples =
        [
            "MBVCB.1457193831.CODE329014.CT tu 0291000285902 VU HUYEN TUAN toi0071000962707 …",
            "884114.100924.223854.DANG DAO THANH NHAN chuyen FT2425…",
            "CUSTOMER MBVCB 2420648919 339176 naptien 16  CT tu …",
            "311447.110821.213735.15330734312-0353460723-ri khung",
            "FT3A9C 0E12B7",
        ];
        Assert.All(samples, s => Assert.IsType<ReceiptMatch.NoReference>(TransferContent.MatchOf(s)));
    }

    [Fact]
    public void ReceiptMatchFrom_RefusesAReferenceListedTwice()
    {
        var found = new FoundReference(Duc, 0, ReferenceReading.Intact);
        Assert.Throws<ArgumentException>(() => ReceiptMatch.From([found, found with { Offset = 20 }]));
    }
}

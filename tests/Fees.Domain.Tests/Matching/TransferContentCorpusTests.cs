using System.Globalization;
using Fees.Domain.Dues;
using Fees.Domain.Matching;
using Xunit.Abstractions;

namespace Fees.Domain.Tests.Matching;

/// <summary>
/// The matcher on <c>TransferContentCorpus.tsv</c>: transfer contents as banks, wallets and payers rewrite them
/// (research/vietqr-bank.md §4–5), with decoys. Done when at least 40 rewrites are there, at least 95 % of them are
/// posted automatically to the member the payer meant, none is posted to anyone else, and no decoy is ever posted.
/// </summary>
public class TransferContentCorpusTests(ITestOutputHelper output)
{
    private static ReceiptResolution Resolve(CorpusRow row) => MatchingWorld.Resolve(row.Content, row.AccountOrgId);

    [Theory]
    [MemberData(nameof(TransferContentCorpus.Ids), MemberType = typeof(TransferContentCorpus))]
    public void Resolve_GivesTheOutcomeTheCorpusStates(string id)
    {
        var row = TransferContentCorpus.Row(id);
        Assert.Equal(row.Outcome, MatchingWorld.Describe(Resolve(row)));
    }

    [Fact]
    public void Corpus_MatchesAtLeast95PercentOfRewritesAutomatically_AndNoneWrongly()
    {
        var rewrites = TransferContentCorpus.Rows.Where(r => r.Category == "rewrite").ToList();
        Assert.True(rewrites.Count >= 40, $"only {rewrites.Count} rewrites");

        int hits = rewrites.Count(r => Resolve(r) is ReceiptResolution.ToMember m && m.MemberId == r.IntendedMemberId);
        var wrong = TransferContentCorpus.Rows
            .Where(r => Resolve(r) is ReceiptResolution.ToMember m && (m.MemberId != r.IntendedMemberId || r.Category != "rewrite"))
            .Select(r => r.Id)
            .ToList();

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{TransferContentCorpus.Rows.Count} rows, {rewrites.Count} rewrites, {hits} matched automatically ({100.0 * hits / rewrites.Count:0.0} %); wrong: {wrong.Count}"));
        Assert.Empty(wrong);
        Assert.True(hits * 100 >= rewrites.Count * 95, $"{hits}/{rewrites.Count} rewrites matched automatically");
    }

    [Fact]
    public void Decoys_AreNeverAutoPosted()
    {
        var decoys = TransferContentCorpus.Rows.Where(r => r.Category == "decoy").ToList();
        Assert.NotEmpty(decoys);
        Assert.All(decoys, r => Assert.False(Resolve(r).IsAutoPosted, r.ToString()));
    }

    [Fact]
    public void LostAmbiguousAndOtherOrganizationRows_AreNeverAutoPosted()
    {
        var rows = TransferContentCorpus.Rows.Where(r => r.Category is "lost" or "ambiguous" or "flag").ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.False(Resolve(r).IsAutoPosted, r.ToString()));
    }

    /// <summary>
    /// The corpus is honest: a rewrite still carries one of its member's references character for character once
    /// separators and case are ignored, and a lost row carries none (it was really damaged, not just missed).
    /// </summary>
    [Fact]
    public void Corpus_RewritesCarryTheirReference_AndLostRowsDoNot()
    {
        foreach (var row in TransferContentCorpus.Rows.Where(r => r.Category is "rewrite" or "lost"))
        {
            string compact = TransferContent.Parse(row.Content).Compact;
            bool carries = MatchingWorld.ReferencesOf(row.IntendedMemberId!.Value).Any(r => compact.Contains(r.Value, StringComparison.Ordinal));
            Assert.True(carries == (row.Category == "rewrite"), row.ToString());
        }
    }

    [Fact]
    public void Corpus_UsesOnlyRealReferences()
    {
        // Every token the corpus header names is what the generators give for its id.
        Assert.Equal("DT84KD73XW", PaymentReference.ForMember(1042).Value);
        Assert.Equal("DPRBGB9EGU", PaymentReference.NewRequest(5001).Value);
        Assert.Equal("DTH2YNTV8Y", PaymentReference.ForMember(987_654).Value);
        Assert.Null(MatchingWorld.Lookup(PaymentReference.ForMember(987_654)));
    }

    [Fact]
    public void Corpus_CoversEveryCategory()
    {
        var categories = TransferContentCorpus.Rows.Select(r => r.Category).ToHashSet();
        Assert.Equal(["ambiguous", "decoy", "flag", "lost", "rewrite"], categories.Order(StringComparer.Ordinal));
        Assert.Equal(TransferContentCorpus.Rows.Count, TransferContentCorpus.Rows.Select(r => r.Id).Distinct().Count());
    }
}

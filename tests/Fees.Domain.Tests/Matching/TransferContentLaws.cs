using Fees.Domain.Dues;
using Fees.Domain.Matching;
using FsCheck.Xunit;

namespace Fees.Domain.Tests.Matching;

/// <summary>
/// The laws of reading references out of transfer contents, checked on generated contents
/// (<see cref="MatchingArbitraries"/>). One law per test; the summary of each states it in plain words.
/// </summary>
public class TransferContentLaws
{
    /// <summary>
    /// Every rewrite that keeps the token's ten characters in order — any bank prefix or suffix (glued on or not), any
    /// case, dots turned into spaces, spaces doubled, diacritics stripped, the token split once by a space, dot, dash or
    /// underscore — leaves the reference readable: it is among the references found.
    /// </summary>
    [Property(Arbitrary = [typeof(MatchingArbitraries)], MaxTest = 1000)]
    public void TheTokenIsFound_AfterEveryRewriteThatKeepsItsCharacters(RewrittenContent rewritten)
    {
        Assert.Contains(rewritten.Reference, TransferContent.FindReferences(rewritten.Content).Select(f => f.Reference));
    }

    /// <summary>
    /// One character of the token replaced by any other symbol or look-alike, the check character included, in any of
    /// those rewrites: neither the intended reference nor the damaged token is ever read. (The check character detects
    /// every single substitution; the reader never borrows characters from outside the token to repair it.)
    /// </summary>
    [Property(Arbitrary = [typeof(MatchingArbitraries)], MaxTest = 1000)]
    public void ADamagedToken_IsNeverRead(DamagedContent damaged)
    {
        var found = TransferContent.FindReferences(damaged.Content).Select(f => f.Reference.Value).ToList();
        Assert.DoesNotContain(damaged.Intended.Value, found);
        Assert.DoesNotContain(damaged.Damaged, found);
    }

    /// <summary>
    /// A content made of ordinary words — Vietnamese syllables typed with or without diacritics, bank boilerplate, the
    /// abbreviations ĐP and ĐT, dates, times, traces, account and phone numbers, amounts — in any case and with any
    /// separators yields no reference at all. Why it is guaranteed, not just likely: none of those words contains
    /// DP/DT except the two-letter abbreviations, and none is eight or nine alphabet symbols long, so there is no window
    /// inside a word and no join (after DP/DT it needs a neighbour of exactly eight, after a word ending in D one of exactly
    /// nine starting with P or T) for the check to pass by chance.
    /// The test asserts that premise on every generated content too.
    /// </summary>
    [Property(Arbitrary = [typeof(MatchingArbitraries)], MaxTest = 2000)]
    public void OrdinaryWords_NeverYieldAReference(OrdinaryContent ordinary)
    {
        var content = TransferContent.Parse(ordinary.Content);
        foreach (string word in content.Words)
        {
            bool hasPrefix = word.Contains("DP", StringComparison.Ordinal) || word.Contains("DT", StringComparison.Ordinal);
            Assert.False(hasPrefix && word is not ("DP" or "DT"), $"premise broken by «{word}»");
            Assert.False(word.Length is 8 or 9 && word.All(c => PaymentReference.Alphabet.Contains(c, StringComparison.Ordinal)),
                $"premise broken by «{word}»");
        }
        Assert.Empty(content.References);
    }

    /// <summary>
    /// Whatever the content, every reference read verifies its check character, and its ten characters are in the folded
    /// content starting at its offset, either together (intact) or around one run of at most three spaces, dots, dashes or
    /// underscores (joined). Nothing is read from anywhere else.
    /// </summary>
    /// <remarks>Generated from <see cref="MatchingArbitraries.NearlyReferences"/>: about 1 content in 130 reaches the gate.</remarks>
    [Property(Arbitrary = [typeof(NearlyReferenceArbitraries)], MaxTest = 5000)]
    public void EveryReferenceRead_IsValid_AndSpelledOutWhereItIsSaidToBe(OrdinaryContent anything)
    {
        var content = TransferContent.Parse(anything.Content);
        foreach (var found in content.References)
        {
            Assert.True(PaymentReference.IsValidToken(found.Reference.Value));
            string value = found.Reference.Value;
            string at = content.Folded[found.Offset..];
            if (found.Reading == ReferenceReading.Intact)
            {
                Assert.StartsWith(value, at, StringComparison.Ordinal);
                continue;
            }
            int split = Enumerable.Range(1, value.Length - 1).Single(k =>
                at.StartsWith(value[..k], StringComparison.Ordinal)
                && at[k..].TrimStart(' ', '.', '-', '_').StartsWith(value[k..], StringComparison.Ordinal)
                && !at[k].Equals(value[k]));
            int gap = at[split..].Length - at[split..].TrimStart(' ', '.', '-', '_').Length;
            Assert.InRange(gap, 1, TransferContent.MaxJoinedSeparatorRun);
        }
    }

    /// <summary>Folding is idempotent: a folded content folds to itself and reads the same references.</summary>
    [Property(Arbitrary = [typeof(MatchingArbitraries)], MaxTest = 500)]
    public void Folding_IsIdempotent(RewrittenContent rewritten)
    {
        var once = TransferContent.Parse(rewritten.Content);
        var twice = TransferContent.Parse(once.Folded);
        Assert.Equal(once.Folded, twice.Folded);
        Assert.Equal(once.References, twice.References);
    }
}

/// <summary>Binds <see cref="OrdinaryContent"/> to text made mostly of reference symbols, for the soundness law.</summary>
public static class NearlyReferenceArbitraries
{
    public static FsCheck.Arbitrary<OrdinaryContent> Content() => MatchingArbitraries.NearlyReferences();
}

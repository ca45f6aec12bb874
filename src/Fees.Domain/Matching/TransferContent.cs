using System.Text;
using Fees.Domain.Dues;
using Fees.Domain.Text;

namespace Fees.Domain.Matching;

/// <summary>How a reference was read out of a transfer content.</summary>
public enum ReferenceReading
{
    /// <summary>The ten characters stand together inside one word (possibly glued to text before or after them).</summary>
    Intact,

    /// <summary>
    /// The token was split in two by one short run of separators (<see cref="TransferContent.JoinableSeparators"/>, at
    /// most <see cref="TransferContent.MaxJoinedSeparatorRun"/> characters) and read by joining the two words.
    /// </summary>
    Joined,
}

/// <summary>A payment reference read out of a transfer content.</summary>
/// <param name="Reference">The reference; its check character verifies.</param>
/// <param name="Offset">Where its first character is in <see cref="TransferContent.Folded"/> (0-based, UTF-16 units).</param>
/// <param name="Reading">Whether it stood intact or was joined across a separator.</param>
public sealed record FoundReference(PaymentReference Reference, int Offset, ReferenceReading Reading);

/// <summary>
/// The text a bank delivered as a transfer's content, folded the way every rewrite banks were seen to do is undone
/// (research/vietqr-bank.md §5), and the payment references read out of it.
/// </summary>
/// <remarks>
/// <para><b>Folding.</b> Compatibility forms are unified (full-width letters, ligatures: Unicode NFKC), Vietnamese
/// diacritics are stripped (<c>đ</c>/<c>Đ</c> and the look-alike <c>ð</c>/<c>Ð</c> become <c>D</c>), everything is
/// upper-cased. <see cref="Folded"/> keeps every other character where it was, so a treasurer reading a diagnostic
/// sees the content as delivered; a <em>word</em> is a maximal run of <c>A–Z</c>/<c>0–9</c> in it.</para>
/// <para><b>Reading references — how false matches are kept out.</b> A window of ten characters that merely starts with
/// <c>DP</c>/<c>DT</c> and is made of alphabet symbols passes the check character by chance with probability 1/31.
/// The tolerance for rewritten content is therefore spent only where banks and payers were seen to need it:</para>
/// <list type="number">
/// <item><see cref="ReferenceReading.Intact"/>: every window inside one word (prefixes glued on by a bank that dropped
/// the dots, <c>MBVCB1457193831DP7K2QF9XZ</c>, or text glued after, <c>DP7K2QF9XZDANGPHI</c>, still count).</item>
/// <item><see cref="ReferenceReading.Joined"/>: a token split <em>once</em>, by a run of at most three spaces, dots,
/// dashes or underscores (<c>DP7K2 QF9XZ</c>, <c>DP7K2  QF9XZ</c> after MB doubles spaces, <c>DT 7K2QF9XZ</c>), where the
/// token ends exactly at the end of the second word. For each pair of neighbouring words that leaves at most one
/// candidate (its length is fixed by the second word), and none unless the first word's character at the right distance
/// from its end is <c>D</c> followed by <c>P</c>/<c>T</c>. Vietnamese spelling puts <c>đ</c>/<c>d</c> only at the start of
/// a syllable, before a vowel, so in ordinary text <c>DP</c>/<c>DT</c> arises only from the abbreviations ĐP (đảng phí)
/// and ĐT (điện thoại), and a join then needs a neighbour of exactly eight alphabet symbols (or nine starting with P/T
/// after a word ending in D, such as GD): no Vietnamese syllable (at most seven letters), no phone number (they start
/// with 0), no date (a month has 0 or 1). The law <c>OrdinaryWords_NeverYieldAReference</c> checks exactly this.</item>
/// <item>Contents split two or more times (<c>DT-7K2Q-F9XZ</c>) are not read: joining any number of words would let
/// ordinary text (<c>DP THANG 8 NAM 2026</c> → <c>DPTHANG8NA</c>) reach the 1/31 gate.</item>
/// <item>Every distinct reference read is reported; more than one makes the match
/// <see cref="ReceiptMatch.Ambiguous"/>, never a guess, so a chance window next to a real token costs an automatic
/// match but never makes a wrong one.</item>
/// </list>
/// <para>What survives these gates is still only a candidate: <see cref="ReceiptResolver"/> posts nothing unless the
/// database knows the reference and the receiving organization collects from its member. A chance window that passes
/// the check names an existing member reference with probability about 5.6 million / 31⁷ ≈ 2 × 10⁻⁴ (a request
/// reference: a year's 67 million / 31⁷ ≈ 2.4 × 10⁻³), and one collected by the receiving organization with
/// probability about (its members, or its requests) / 31⁷, below 10⁻⁶ even for an organization with a thousand members
/// and a year of requests.</para>
/// <para>Only the content is read: a counterparty (account holder) name is never searched for references.</para>
/// </remarks>
public sealed class TransferContent
{
    /// <summary>Characters that may split a token in two (a bank's wrap or the payer's grouping): whitespace and these.</summary>
    public const string JoinableSeparators = ".-_";

    /// <summary>Longest run of separators a token may be split by (MB doubles spaces; " - " is three).</summary>
    public const int MaxJoinedSeparatorRun = 3;

    private readonly List<Word> words;

    private TransferContent(string raw, string folded, List<Word> words)
    {
        Raw = raw;
        Folded = folded;
        this.words = words;
        References = Read();
    }

    /// <summary>The content as delivered (null delivered as empty).</summary>
    public string Raw { get; }

    /// <summary>
    /// The content upper-cased, without diacritics, with its separators kept (control characters become spaces): what a
    /// diagnostic shows. Offsets of <see cref="FoundReference"/> point into it.
    /// </summary>
    public string Folded { get; }

    /// <summary>Only the <c>A–Z</c>/<c>0–9</c> characters of <see cref="Folded"/>, in order.</summary>
    public string Compact => string.Concat(words.Select(w => w.Text));

    /// <summary>The words of <see cref="Folded"/>: maximal runs of <c>A–Z</c>/<c>0–9</c>, in order.</summary>
    public IReadOnlyList<string> Words => words.ConvertAll(w => w.Text);

    /// <summary>Every distinct reference read, in order of first appearance (see the remarks for the rules).</summary>
    public IReadOnlyList<FoundReference> References { get; }

    /// <summary>The match the references make: none, exactly one distinct reference, or several (ambiguous).</summary>
    public ReceiptMatch Match => ReceiptMatch.From(References);

    /// <summary>Folds <paramref name="content"/> and reads its references. Null and empty are the empty content.</summary>
    public static TransferContent Parse(string? content)
    {
        string raw = content ?? "";
        string folded = Fold(raw);
        return new TransferContent(raw, folded, SplitWords(folded));
    }

    /// <summary>Shortcut for <c>Parse(content).References</c>.</summary>
    public static IReadOnlyList<FoundReference> FindReferences(string? content) => Parse(content).References;

    /// <summary>Shortcut for <c>Parse(content).Match</c>.</summary>
    public static ReceiptMatch MatchOf(string? content) => Parse(content).Match;

    /// <summary>The words of <paramref name="text"/> once folded, without reading references (names, descriptions).</summary>
    internal static IReadOnlyList<string> WordsOf(string text) => SplitWords(Fold(text)).ConvertAll(w => w.Text);

    /// <summary>NFKC, diacritics stripped (đ, Đ, ð, Ð → D), upper case, control characters as spaces.</summary>
    public static string Fold(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        string unified = content.Normalize(NormalizationForm.FormKC).Replace('ð', 'd').Replace('Ð', 'D');
        string plain = VietnameseText.StripDiacritics(unified).ToUpperInvariant();
        var builder = new StringBuilder(plain.Length);
        foreach (char c in plain)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }
        return builder.ToString();
    }

    private static bool IsWordChar(char c) => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9');

    private static bool IsJoinable(char c) => c == ' ' || char.IsWhiteSpace(c) || JoinableSeparators.Contains(c, StringComparison.Ordinal);

    private static List<Word> SplitWords(string folded)
    {
        var list = new List<Word>();
        int i = 0;
        while (i < folded.Length)
        {
            if (!IsWordChar(folded[i]))
            {
                i++;
                continue;
            }
            int start = i;
            while (i < folded.Length && IsWordChar(folded[i]))
            {
                i++;
            }
            list.Add(new Word(start, folded[start..i]));
        }
        return list;
    }

    private static bool StartsReference(string text, int index) =>
        index + 1 < text.Length && text[index] == 'D' && text[index + 1] is ('P' or 'T' or 'R');

    private IReadOnlyList<FoundReference> Read()
    {
        var found = new List<FoundReference>();
        for (int w = 0; w < words.Count; w++)
        {
            var word = words[w];
            for (int i = 0; i + PaymentReference.Length <= word.Text.Length; i++)
            {
                if (StartsReference(word.Text, i))
                {
                    Consider(found, word.Text.Substring(i, PaymentReference.Length), word.Start + i, ReferenceReading.Intact);
                }
            }
            if (w + 1 < words.Count)
            {
                ConsiderJoin(found, word, words[w + 1]);
            }
        }
        found.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        // One entry per distinct reference, at its first appearance.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return found.Where(f => seen.Add(f.Reference.Value)).ToList();
    }

    /// <summary>
    /// The one candidate a pair of neighbouring words can make: the token ends where <paramref name="second"/> ends, so
    /// <paramref name="first"/> gives the other 10 − |second| characters.
    /// </summary>
    private void ConsiderJoin(List<FoundReference> found, Word first, Word second)
    {
        int fromFirst = PaymentReference.Length - second.Text.Length;
        if (fromFirst < 1 || fromFirst > first.Text.Length)
        {
            return;
        }
        int gapStart = first.Start + first.Text.Length;
        int gap = second.Start - gapStart;
        if (gap > MaxJoinedSeparatorRun)
        {
            return;
        }
        for (int i = gapStart; i < second.Start; i++)
        {
            if (!IsJoinable(Folded[i]))
            {
                return;
            }
        }
        int startInFirst = first.Text.Length - fromFirst;
        string joined = first.Text[startInFirst..] + second.Text;
        if (StartsReference(joined, 0))
        {
            Consider(found, joined, first.Start + startInFirst, ReferenceReading.Joined);
        }
    }

    private static void Consider(List<FoundReference> found, string candidate, int offset, ReferenceReading reading)
    {
        if (PaymentReference.IsValidToken(candidate))
        {
            found.Add(new FoundReference(PaymentReference.Parse(candidate), offset, reading));
        }
    }

    private readonly record struct Word(int Start, string Text);
}

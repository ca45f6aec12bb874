namespace Fees.Domain.Matching;

/// <summary>
/// Comparing a member's name with the name a bank gives for the payer, the way a treasurer would: diacritics and case
/// ignored (banks send <c>NGUYEN VAN DUC</c> for Nguyễn Văn Đức), word order ignored, and the given name weighted.
/// </summary>
/// <remarks>
/// A Vietnamese name is written family name, middle names, given name (Họ Đệm Tên): the given name (the last word) is what
/// tells people apart (two in five people are Nguyễn), so it weighs <see cref="GivenNameWeight"/>, every other word 1.
/// </remarks>
public static class PersonName
{
    /// <summary>Weight of the given name (the last word of the member's name); every other word weighs 1.</summary>
    public const int GivenNameWeight = 3;

    /// <summary>The words of a name, folded (no diacritics, upper case, A–Z/0–9 only).</summary>
    public static IReadOnlyList<string> Words(string? name) =>
        string.IsNullOrWhiteSpace(name) ? [] : TransferContent.WordsOf(name);

    /// <summary>
    /// How alike <paramref name="otherName"/> is to <paramref name="memberName"/>, in percent (0–100): 0 unless the other
    /// name contains the member's given name; otherwise the weight of the member's words found in it (each word used once)
    /// over the weight of the member's words plus one per word of the other name left unmatched.
    /// </summary>
    /// <example>Nguyễn Văn Đức against <c>NGUYEN VAN DUC</c>: 100; <c>NGUYEN DUC</c>: 80; <c>TRAN VAN DUC</c>: 66;
    /// <c>DUC</c>: 60; <c>NGUYEN VAN DUNG</c>: 0.</example>
    public static int Similarity(string? memberName, string? otherName)
    {
        var member = Words(memberName);
        var other = Words(otherName).ToList();
        if (member.Count == 0 || other.Count == 0 || !other.Contains(member[^1], StringComparer.Ordinal))
        {
            return 0;
        }
        int total = 0;
        int matched = 0;
        for (int i = 0; i < member.Count; i++)
        {
            int weight = i == member.Count - 1 ? GivenNameWeight : 1;
            total += weight;
            int at = other.IndexOf(member[i]);
            if (at >= 0)
            {
                matched += weight;
                other.RemoveAt(at);
            }
        }
        return 100 * matched / (total + other.Count);
    }

    /// <summary>Whether the member's whole name appears, word for word and in order, among the words of <paramref name="content"/>.</summary>
    public static bool AppearsIn(string? memberName, TransferContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var member = Words(memberName);
        var words = content.Words;
        if (member.Count < 2)
        {
            // A single word ("DUC") is too common in a content to mean anything.
            return false;
        }
        for (int start = 0; start + member.Count <= words.Count; start++)
        {
            bool all = true;
            for (int i = 0; i < member.Count && all; i++)
            {
                all = string.Equals(words[start + i], member[i], StringComparison.Ordinal);
            }
            if (all)
            {
                return true;
            }
        }
        return false;
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace FakeBank.Rewriting;

/// <summary>What the rewriter needs to know about the transfer besides the note.</summary>
/// <param name="Note">The content the payer sent (tag 62.08 or typed by hand).</param>
/// <param name="Sequence">The transaction's sequence number; the default trace and prefix numbers derive from it.</param>
internal sealed record RewriteContext(
    string Note,
    string? FromName,
    string? FromAccount,
    string ToAccount,
    string ToName,
    DateTimeOffset BookedAtVietnam,
    long Sequence);

/// <param name="Content">The content as the bank reports it.</param>
/// <param name="Steps">The knobs that applied, in the order they applied.</param>
internal sealed record RewriteResult(string Content, IReadOnlyList<string> Steps);

/// <summary>
/// Applies <see cref="RewriteKnobs"/> in this fixed order (each step sees the previous one's output):
/// <list type="number">
/// <item>dropContent — the note becomes <c>replacementContent</c> (default empty);</item>
/// <item>splitReferenceAt — a space inside the first <c>DP…</c>/<c>DT…</c> token of the note;</item>
/// <item>transferInfo — <c>.CT tu …</c> / <c>- Ma GD ACSP/ …</c> appended;</item>
/// <item>walletPrefix — <c>{walletTransactionId}-{fromAccount}-</c> prepended;</item>
/// <item>bankPrefix (+ bankPrefixTrace) — <c>MBVCB.{number}.</c> (<c>{trace}.</c>) prepended;</item>
/// <item>interbankPrefix — <c>{trace}.{ddMMyy}.{HHmmss}.</c> prepended;</item>
/// <item>customerPrefix — <c>CUSTOMER </c> prepended;</item>
/// <item>stripDiacritics, upperCase, dotsToSpaces, doubleSpaces, truncateTo, lowerCase — on the whole text.</item>
/// </list>
/// </summary>
internal static partial class ContentRewriter
{
    public static string? Validate(RewriteKnobs? knobs)
    {
        if (knobs is null)
        {
            return null;
        }
        if (knobs.Preset is not null && !RewritePresets.All.ContainsKey(knobs.Preset))
        {
            return $"rewrite.preset must be one of {string.Join(", ", RewritePresets.All.Keys)}";
        }
        if (knobs.SplitReferenceAt is < 1 or > 9)
        {
            return "rewrite.splitReferenceAt must be 1–9 (a position inside the 10-character reference)";
        }
        if (knobs.TruncateTo is < 0)
        {
            return "rewrite.truncateTo must not be negative";
        }
        if (knobs.TransferInfo is not null && !TransferInfoStyles.All.Contains(knobs.TransferInfo, StringComparer.Ordinal))
        {
            return $"rewrite.transferInfo must be one of {string.Join(", ", TransferInfoStyles.All)}";
        }
        if (knobs.Trace is not null && (knobs.Trace.Length != 6 || !knobs.Trace.All(char.IsAsciiDigit)))
        {
            return "rewrite.trace must be 6 digits";
        }
        return null;
    }

    /// <summary>The preset's knobs under the explicit ones (an explicit knob wins).</summary>
    public static RewriteKnobs Effective(RewriteKnobs? knobs)
    {
        knobs ??= new RewriteKnobs();
        return knobs.Preset is { } preset ? knobs.Over(RewritePresets.All[preset]) : knobs;
    }

    public static RewriteResult Apply(RewriteKnobs? requested, RewriteContext context)
    {
        var knobs = Effective(requested);
        var steps = new List<string>();
        string trace = knobs.Trace ?? DefaultTrace(context.Sequence);
        string text = context.Note;

        if (knobs.DropContent == true)
        {
            text = knobs.ReplacementContent ?? "";
            steps.Add("dropContent");
        }
        if (knobs.SplitReferenceAt is { } at)
        {
            var match = ReferenceLike().Match(text);
            if (match.Success)
            {
                text = text.Insert(match.Index + at, " ");
                steps.Add("splitReferenceAt");
            }
        }
        if (knobs.TransferInfo is { } style)
        {
            string mbCode = knobs.MbCode ?? DefaultMbCode(trace);
            string ctTu = string.Create(CultureInfo.InvariantCulture,
                $".CT tu {context.FromAccount} {VietnameseText.AsBankName(context.FromName)} toi {context.ToAccount} {VietnameseText.AsBankName(context.ToName)}");
            text += style switch
            {
                TransferInfoStyles.Vcb => ctTu,
                TransferInfoStyles.Mb => $"- Ma GD ACSP/ {mbCode}",
                _ => $"{ctTu} tai MB- Ma GD ACSP/ {mbCode}",
            };
            steps.Add("transferInfo");
        }
        if (knobs.WalletPrefix == true)
        {
            string walletId = knobs.WalletTransactionId ?? DefaultDigits(context.Sequence, 11, 0x5DEECE66DL);
            text = $"{walletId}-{context.FromAccount}-{text}";
            steps.Add("walletPrefix");
        }
        if (knobs.BankPrefix == true)
        {
            string code = knobs.BankPrefixCode ?? "MBVCB";
            string number = knobs.BankPrefixNumber ?? DefaultDigits(context.Sequence, 10, 2_654_435_761L);
            text = knobs.BankPrefixTrace == true ? $"{code}.{number}.{trace}.{text}" : $"{code}.{number}.{text}";
            steps.Add("bankPrefix");
        }
        if (knobs.InterbankPrefix == true)
        {
            string stamp = context.BookedAtVietnam.ToString("ddMMyy'.'HHmmss", CultureInfo.InvariantCulture);
            text = $"{trace}.{stamp}.{text}";
            steps.Add("interbankPrefix");
        }
        if (knobs.CustomerPrefix == true)
        {
            text = "CUSTOMER " + text;
            steps.Add("customerPrefix");
        }
        if (knobs.StripDiacritics == true)
        {
            text = VietnameseText.StripDiacritics(text);
            steps.Add("stripDiacritics");
        }
        if (knobs.UpperCase == true)
        {
            text = text.ToUpperInvariant();
            steps.Add("upperCase");
        }
        if (knobs.DotsToSpaces == true)
        {
            text = text.Replace('.', ' ');
            steps.Add("dotsToSpaces");
        }
        if (knobs.DoubleSpaces == true)
        {
            text = text.Replace(" ", "  ", StringComparison.Ordinal);
            steps.Add("doubleSpaces");
        }
        if (knobs.TruncateTo is { } max && text.Length > max)
        {
            int cut = max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
            text = text[..cut];
            steps.Add("truncateTo");
        }
        if (knobs.LowerCase == true)
        {
            text = text.ToLowerInvariant();
            steps.Add("lowerCase");
        }
        return new RewriteResult(text, steps);
    }

    /// <summary>Six digits that look random but are fixed by the sequence number (so a rerun prints the same text).</summary>
    public static string DefaultTrace(long sequence) => DefaultDigits(sequence, 6, 104_729L);

    /// <summary>Two lower-case letters from the trace's first and last digits, then the trace: <c>943148</c> → <c>ji943148</c>.</summary>
    public static string DefaultMbCode(string trace)
    {
        var builder = new StringBuilder(8);
        builder.Append((char)('a' + (trace[0] - '0')));
        builder.Append((char)('a' + (trace[^1] - '0')));
        builder.Append(trace);
        return builder.ToString();
    }

    private static string DefaultDigits(long sequence, int width, long multiplier)
    {
        long floor = (long)Math.Pow(10, width - 1);
        long span = 9 * floor;
        long value = floor + (long)(unchecked((ulong)(sequence * multiplier + 12_345)) % (ulong)span);
        return value.ToString(CultureInfo.InvariantCulture);
    }

    // A 10-character token starting DP or DT (any case), not glued to other letters or digits: what the service's
    // payment references look like (docs/payment-reference.md), without checking the alphabet or the check character.
    [GeneratedRegex("(?<![0-9A-Za-z])[Dd][PpTt][0-9A-Za-z]{8}(?![0-9A-Za-z])", RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceLike();
}

using Fees.Domain.Amounts;
using Fees.Domain.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fees.Domain.Tests.Text;

/// <summary>
/// The amount in words on a receipt ("bằng chữ"). The laws hold for every amount a receipt can carry and far beyond;
/// the examples pin the conventions (linh, mốt, tư, lăm, không trăm) to readings an accountant would write.
/// </summary>
public sealed class VietnameseNumberWordsLaws
{
    /// <summary>Amounts of every size: small, receipt-sized, round, with zero groups, up to the largest long.</summary>
    public static class Amounts
    {
        public static Arbitrary<long> Number() =>
            Gen.OneOf(
                Gen.Choose(0, 1_000).Select(i => (long)i),
                Gen.Choose(0, int.MaxValue).Select(i => (long)i),
                Gen.Choose(0, 999).Two().Three().Select(t => Groups(t.Item1.Item1, t.Item1.Item2, t.Item2.Item1, t.Item2.Item2, t.Item3.Item1, t.Item3.Item2)),
                Gen.Choose(0, int.MaxValue).Two().Select(t => ((long)t.Item1 * int.MaxValue + t.Item2) & long.MaxValue),
                Gen.Elements(0L, 10L, 15L, 21L, 1_000L, 1_000_000L, 1_000_000_000L, 999_999_999_999L, long.MaxValue),
                // Zero groups in every place: each three-digit group is 0 half the time.
                Gen.Choose(0, 999).Select(g => (long)g).ArrayOf(7).Select(gs => gs.Aggregate(0L, (n, g) => n > 9_223_372_036_854_774L ? n : n * 1000 + (g % 2 == 0 ? 0 : g))))
            .ToArbitrary();

        private static long Groups(params int[] groups) => groups.Aggregate(0L, (n, g) => n * 1000 + g);
    }

    /// <summary>Law: the words read back to the number (so no two numbers share their words).</summary>
    [Property(Arbitrary = [typeof(Amounts)], MaxTest = 1000)]
    public bool Words_ReadBackToTheNumber(long number) => Read(VietnameseNumberWords.Of(number)) == number;

    /// <summary>Law: only the receipt vocabulary, single spaces, lower case; <c>không</c> only as "không trăm" or zero itself.</summary>
    [Property(Arbitrary = [typeof(Amounts)], MaxTest = 1000)]
    public Property Words_UseTheVocabulary_AndZeroOnlyBeforeTrăm(long number)
    {
        string words = VietnameseNumberWords.Of(number);
        string[] tokens = words.Split(' ');
        bool vocabulary = tokens.All(VietnameseNumberWords.Vocabulary.Contains);
        bool zero = number == 0
            ? words == "không"
            : tokens.Select((t, i) => t != "không" || (i + 1 < tokens.Length && tokens[i + 1] == "trăm")).All(ok => ok);
        return (vocabulary && zero && words == words.ToLowerInvariant() && !words.Contains("  ", StringComparison.Ordinal)).Label(words);
    }

    /// <summary>
    /// Law: the special unit words stand only where the convention puts them: <c>mốt</c> and <c>tư</c> after
    /// <c>mươi</c>, <c>lăm</c> after <c>mười</c> or <c>mươi</c>, <c>linh</c> after <c>trăm</c> and before a digit;
    /// after <c>linh</c> and <c>mười</c> the plain digit (một, bốn), never mốt or tư.
    /// </summary>
    [Property(Arbitrary = [typeof(Amounts)], MaxTest = 1000)]
    public Property SpecialUnitWords_StandWhereTheConventionPutsThem(long number)
    {
        string[] t = VietnameseNumberWords.Of(number).Split(' ');
        bool ok = true;
        for (int i = 0; i < t.Length; i++)
        {
            string before = i > 0 ? t[i - 1] : "";
            ok &= t[i] switch
            {
                "mốt" or "tư" => before == "mươi",
                "lăm" => before is "mười" or "mươi",
                "linh" => before == "trăm" && i + 1 < t.Length && Digit(t[i + 1]) is > 0,
                "năm" => before is not ("mười" or "mươi"),
                "một" or "bốn" => before is not "mươi",
                _ => true,
            };
        }
        return ok.Label(string.Join(' ', t));
    }

    /// <summary>
    /// Law: a last group with hundreds is read after the rest exactly as on its own: words(n·1000 + g) =
    /// words(n·1000) + " " + words(g) for 100 ≤ g ≤ 999.
    /// </summary>
    [Property(Arbitrary = [typeof(Amounts)], MaxTest = 500)]
    public Property LastGroup_IsReadTheSameAfterAnyPrefix(long seed)
    {
        long head = seed % 1_000_000_000_000L + 1;
        long group = seed % 900 + 100;
        string whole = VietnameseNumberWords.Of(checked(head * 1000 + group));
        return (whole == VietnameseNumberWords.Of(head * 1000) + " " + VietnameseNumberWords.Of(group)).Label(whole);
    }

    [Theory]
    [InlineData(0, "không")]
    [InlineData(1, "một")]
    [InlineData(4, "bốn")]
    [InlineData(5, "năm")]
    [InlineData(10, "mười")]
    [InlineData(11, "mười một")]
    [InlineData(14, "mười bốn")]
    [InlineData(15, "mười lăm")]
    [InlineData(20, "hai mươi")]
    [InlineData(21, "hai mươi mốt")]
    [InlineData(24, "hai mươi tư")]
    [InlineData(25, "hai mươi lăm")]
    [InlineData(100, "một trăm")]
    [InlineData(101, "một trăm linh một")]
    [InlineData(104, "một trăm linh bốn")]
    [InlineData(105, "một trăm linh năm")]
    [InlineData(110, "một trăm mười")]
    [InlineData(115, "một trăm mười lăm")]
    [InlineData(1_000, "một nghìn")]
    [InlineData(1_005, "một nghìn không trăm linh năm")]
    [InlineData(1_050, "một nghìn không trăm năm mươi")]
    [InlineData(10_000, "mười nghìn")]
    [InlineData(15_000, "mười lăm nghìn")]
    [InlineData(21_000, "hai mươi mốt nghìn")]
    [InlineData(54_756, "năm mươi tư nghìn bảy trăm năm mươi sáu")]
    [InlineData(105_000, "một trăm linh năm nghìn")]
    [InlineData(1_000_000, "một triệu")]
    [InlineData(1_000_005, "một triệu không trăm linh năm")]
    [InlineData(1_005_000, "một triệu không trăm linh năm nghìn")]
    [InlineData(2_050_000, "hai triệu không trăm năm mươi nghìn")]
    [InlineData(1_000_000_000, "một tỷ")]
    [InlineData(1_000_050_000, "một tỷ không trăm năm mươi nghìn")]
    [InlineData(1_200_000_000_000, "một nghìn hai trăm tỷ")]
    [InlineData(999_999_999_999, "chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín")]
    [InlineData(1_000_000_000_000_000_000, "một tỷ tỷ")]
    public void Of_ReadsAsAnAccountantWrites(long number, string words) => Assert.Equal(words, VietnameseNumberWords.Of(number));

    [Fact]
    public void Dong_IsCapitalised_AndEndsInĐồng()
    {
        Assert.Equal("Năm mươi tư nghìn bảy trăm năm mươi sáu đồng", VietnameseNumberWords.Dong(Money.Vnd(54_756)));
        Assert.Equal("Không đồng", VietnameseNumberWords.Dong(Money.Zero));
        Assert.Equal("Một trăm nghìn đồng", VietnameseNumberWords.Dong(Money.Vnd(100_000)));
    }

    [Fact]
    public void Of_ANegativeNumber_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => VietnameseNumberWords.Of(-1));

    private static int? Digit(string word) => word switch
    {
        "không" => 0, "một" or "mốt" => 1, "hai" => 2, "ba" => 3, "bốn" or "tư" => 4, "năm" or "lăm" => 5,
        "sáu" => 6, "bảy" => 7, "tám" => 8, "chín" => 9, _ => null,
    };

    /// <summary>An independent reader of Vietnamese number words (the inverse the first law checks against).</summary>
    private static long Read(string words)
    {
        long billions = 0, below = 0, group = 0;
        int? pending = null;
        foreach (string w in words.Split(' '))
        {
            switch (w)
            {
                case "trăm":
                    group += (pending ?? throw new FormatException(words)) * 100;
                    pending = null;
                    break;
                case "mươi":
                    group += (pending ?? throw new FormatException(words)) * 10;
                    pending = null;
                    break;
                case "mười":
                    group += 10;
                    break;
                case "linh":
                    break;
                case "nghìn":
                case "triệu":
                    below += (group + (pending ?? 0)) * (w == "nghìn" ? 1_000 : 1_000_000);
                    group = 0;
                    pending = null;
                    break;
                case "tỷ":
                    billions = checked((billions + below + group + (pending ?? 0)) * 1_000_000_000);
                    below = group = 0;
                    pending = null;
                    break;
                default:
                    if (pending is not null)
                    {
                        throw new FormatException(words);
                    }
                    pending = Digit(w) ?? throw new FormatException(words);
                    break;
            }
        }
        return checked(billions + below + group + (pending ?? 0));
    }
}

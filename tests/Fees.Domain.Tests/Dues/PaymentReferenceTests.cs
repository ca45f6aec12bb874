using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Fees.Domain.Dues;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Dues;

public class PaymentReferenceTests
{
    /// <summary>Ids anywhere in the body space, edges included.</summary>
    public static class Ids
    {
        public static Arbitrary<long> Id() =>
            Gen.OneOf(
                Gen.Elements(0L, 1L, 2L, 30L, 31L, 5_600_000L, PaymentReference.BodySpace - 1),
                Gen.Choose(0, int.MaxValue).Select(i => (long)i),
                Gen.Choose(0, int.MaxValue).Two().Select(t => ((long)t.Item1 * 13 + t.Item2) % PaymentReference.BodySpace))
            .ToArbitrary();
    }

    private static IEnumerable<PaymentReference> Sample()
    {
        var random = new Random(20260801);
        for (int i = 0; i < 60; i++)
        {
            yield return PaymentReference.NewRequest(random);
            yield return PaymentReference.NewRequest(random.NextInt64(PaymentReference.BodySpace));
            yield return PaymentReference.ForMember(random.NextInt64(PaymentReference.BodySpace));
        }
        yield return PaymentReference.ForMember(0);
        yield return PaymentReference.NewRequest(0);
    }

    [Fact]
    public void Alphabet_Has31DistinctSymbols_WithoutLookAlikes()
    {
        Assert.Equal(31, PaymentReference.Alphabet.Distinct().Count());
        Assert.Equal(31, PaymentReference.Alphabet.Length);
        Assert.DoesNotContain(PaymentReference.Alphabet, c => "01OIL".Contains(c, StringComparison.Ordinal));
        Assert.Equal(31L * 31 * 31 * 31 * 31 * 31 * 31, PaymentReference.BodySpace);
    }

    [Property(Arbitrary = [typeof(Ids)])]
    public bool ForMember_RoundTrips_AndIsDeterministic(long memberId)
    {
        var reference = PaymentReference.ForMember(memberId);
        return reference.Value.Length == 10
            && reference.Value.StartsWith("DT", StringComparison.Ordinal)
            && reference.Kind == PaymentReferenceKind.Member
            && reference.Number == memberId
            && PaymentReference.ForMember(memberId) == reference
            && PaymentReference.Parse(reference.Value) == reference;
    }

    [Property(Arbitrary = [typeof(Ids)])]
    public bool NewRequest_FromId_RoundTrips(long requestId)
    {
        var reference = PaymentReference.NewRequest(requestId);
        return reference.Value.StartsWith("DP", StringComparison.Ordinal)
            && reference.Kind == PaymentReferenceKind.Request
            && reference.Number == requestId
            && PaymentReference.TryParse(reference.Value.ToLowerInvariant(), out var parsed)
            && parsed == reference;
    }

    [Fact]
    public void NewRequest_FromRandom_IsValidAndVaries()
    {
        var random = new Random(7);
        var references = Enumerable.Range(0, 1000).Select(_ => PaymentReference.NewRequest(random)).ToList();
        Assert.All(references, r => Assert.True(PaymentReference.IsValidToken(r.Value)));
        Assert.Equal(1000, references.Select(r => r.Value).Distinct().Count());
    }

    [Fact]
    public void ConsecutiveIds_GiveDistinctReferences()
    {
        var values = Enumerable.Range(1, 10_000).Select(i => PaymentReference.ForMember(i).Value).ToHashSet();
        Assert.Equal(10_000, values.Count);
    }

    [Fact]
    public void IdsOutsideTheBodySpace_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PaymentReference.ForMember(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PaymentReference.NewRequest(PaymentReference.BodySpace));
    }

    [Fact]
    public void EverySingleCharacterSubstitution_IsDetected()
    {
        foreach (var reference in Sample())
        {
            for (int i = 0; i < reference.Value.Length; i++)
            {
                foreach (char c in PaymentReference.Alphabet + "01OIL")
                {
                    if (c == reference.Value[i])
                    {
                        continue;
                    }
                    string typo = reference.Value[..i] + c + reference.Value[(i + 1)..];
                    Assert.False(PaymentReference.TryParse(typo, out _), $"{typo} (from {reference}) was accepted");
                    Assert.Empty(PaymentReference.FindIn(typo));
                }
            }
        }
    }

    [Fact]
    public void EveryAdjacentTransposition_IsDetected()
    {
        foreach (var reference in Sample())
        {
            for (int i = 0; i + 1 < reference.Value.Length; i++)
            {
                char[] chars = reference.Value.ToCharArray();
                if (chars[i] == chars[i + 1])
                {
                    continue;
                }
                (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                string swapped = new(chars);
                Assert.False(PaymentReference.TryParse(swapped, out _), $"{swapped} (from {reference}) was accepted");
            }
        }
    }

    [Fact]
    public void TheDocumentedExample_IsValid()
    {
        var reference = PaymentReference.Parse("DP7K2QF9XZ");
        Assert.Equal(PaymentReferenceKind.Request, reference.Kind);
        Assert.Equal(reference, PaymentReference.NewRequest(reference.Number));
    }

    [Theory]
    [InlineData("")]
    [InlineData("DP7K2QF9X")]
    [InlineData("DP7K2QF9XZB")]
    [InlineData("XX7K2QF9XA")]
    [InlineData("DP 7K2QF9XA")]
    public void TryParse_RefusesMalformedText(string text) => Assert.False(PaymentReference.TryParse(text, out _));

    /// <summary>
    /// Transfer contents as banks rewrote them (research/vietqr-bank.md §5), with <c>{0}</c> where the payer's note
    /// survives; the reference is spliced in there.
    /// </summary>
    public static TheoryData<string> RewrittenContents() => new()
    {
        // Sent from VCB: prefix added, "CT tu … toi …" appended.
        "MBVCB.1457193831.{0}.CT tu 0291000285902 VU HUYEN TUAN toi0071000962707 …",
        // Interbank into VCB: trace.ddmmyy.hhmmss.text.
        "884114.100924.223854.{0} DANG DAO THANH NHAN chuyen FT2425…",
        // Received at MB: dots became spaces, spaces doubled.
        "CUSTOMER MBVCB 2420648919 339176 {0}  CT tu …",
        // From MoMo.
        "311447.110821.213735.15330734312-0353460723-{0}",
        // Our own purpose, untouched, and the purpose with the description in Vietnamese.
        "{0} DANG PHI T8",
        "Đảng phí tháng 8 {0} - Nguyễn Văn Đức",
    };

    private static readonly Func<string, string>[] Rewrites =
    [
        s => s,
        s => s.ToLowerInvariant(),
        s => string.Join(' ', s.ToCharArray()),
        s => s[..5] + " " + s[5..],               // a note split in two ("FT3A9C 0E12B7")
        s => s[..2] + "." + s[2..6] + "-" + s[6..],
        s => " " + s.ToLowerInvariant()[..4] + "  " + s.ToLowerInvariant()[4..] + " ",
    ];

    [Theory]
    [MemberData(nameof(RewrittenContents))]
    public void FindIn_FindsTheReference_InRewrittenContents(string template)
    {
        foreach (var reference in Sample().Take(30))
        {
            foreach (var rewrite in Rewrites)
            {
                string content = template.Replace("{0}", rewrite(reference.Value), StringComparison.Ordinal);
                Assert.Contains(reference, PaymentReference.FindIn(content));
            }
        }
    }

    [Theory]
    [MemberData(nameof(RewrittenContents))]
    public void FindIn_FindsNothing_WhenTheContentHasNoReference(string template)
    {
        Assert.Empty(PaymentReference.FindIn(template.Replace("{0}", "", StringComparison.Ordinal)));
        Assert.Empty(PaymentReference.FindIn(template.Replace("{0}", "naptien 16", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("MBVCB.1457193831.CODE329014.CT tu 0291000285902 VU HUYEN TUAN toi0071000962707")]
    [InlineData("884114.100924.223854.DANG DAO THANH NHAN chuyen FT2425")]
    [InlineData("CUSTOMER MBVCB 2420648919 339176 naptien 16  CT tu")]
    [InlineData("311447.110821.213735.15330734312-0353460723-ri khung")]
    [InlineData("Chuyen tien dang phi thang 8 nam 2026")]
    public void FindIn_FindsNothing_InTheResearchSamples(string? content) => Assert.Empty(PaymentReference.FindIn(content));

    [Fact]
    public void FindIn_ReturnsEveryReference_OnceEach_InOrder()
    {
        var first = PaymentReference.ForMember(42);
        var second = PaymentReference.NewRequest(42);
        var found = PaymentReference.FindIn($"{second} va {first.Value.ToLowerInvariant()} va {second}");
        Assert.Equal([second, first], found);
    }

    [Fact]
    public void FindIn_IgnoresAReferenceWithATypo()
    {
        var reference = PaymentReference.NewRequest(123_456);
        char wrong = reference.Value[5] == 'A' ? 'B' : 'A';
        string typo = reference.Value[..5] + wrong + reference.Value[6..];
        Assert.Empty(PaymentReference.FindIn($"MBVCB.1457193831.{typo}.CT tu 0291000285902"));
    }

    public static TheoryData<string[], string> Purposes() => new()
    {
        { ["2026-08"], " DANG PHI T8" },
        { ["2026-09", "2026-08"], " DANG PHI T8-9" },
        { ["2026-08", "2026-08"], " DANG PHI T8" },
        { ["2026-12", "2027-01", "2027-02"], " DANG PHI T12-2" },
        { ["2026-10", "2026-11"], " DANGPHI T10-11" },
        { ["2026-08", "2026-10", "2026-11"], " DANGPHI 3THANG" },
        { Enumerable.Range(0, 12).Select(i => Period.Of(2026, 8).AddMonths(i).ToString()).ToArray(), " DANG PHI 12T" },
        { [], " DANG PHI" },
    };

    [Theory]
    [MemberData(nameof(Purposes))]
    public void Purpose_StartsWithTheReference_AndDescribesThePeriods(string[] periods, string expectedTail)
    {
        var reference = PaymentReference.NewRequest(987_654);
        string purpose = PaymentReference.Purpose(reference, periods.Select(Period.Parse));
        Assert.Equal(reference.Value + expectedTail, purpose);
        Assert.True(purpose.Length <= PaymentReference.MaxPurposeLength);
    }

    [Property(Arbitrary = [typeof(Ids)])]
    public bool Purpose_AlwaysFits_AndCarriesTheReference(long id, byte monthMask, bool member)
    {
        var reference = member ? PaymentReference.ForMember(id) : PaymentReference.NewRequest(id);
        var periods = Enumerable.Range(0, 8).Where(i => (monthMask & (1 << i)) != 0).Select(i => Period.Of(2026, 8).AddMonths(i * 2 % 13));
        string purpose = PaymentReference.Purpose(reference, periods);
        return purpose.Length <= 25
            && purpose.StartsWith(reference.Value + " ", StringComparison.Ordinal)
            && purpose.All(c => c is ' ' or '-' or (>= 'A' and <= 'Z') or (>= '0' and <= '9'))
            && PaymentReference.FindIn(purpose).Contains(reference);
    }
}

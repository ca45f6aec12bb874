using Fees.Domain.Dues;
using FsCheck.Fluent;
using FsCheck;

namespace Fees.Domain.Tests.Matching;

/// <summary>A reference and a transfer content built around it by the rewrites banks were seen to make.</summary>
/// <param name="Reference">The reference the payer sent.</param>
/// <param name="Content">The content as delivered.</param>
/// <param name="Recipe">How it was built (shown when a law fails).</param>
public sealed record RewrittenContent(PaymentReference Reference, string Content, string Recipe)
{
    public override string ToString() => $"{Reference} in «{Content}» ({Recipe})";
}

/// <summary>A token of a reference with one character replaced, in a rewritten content.</summary>
public sealed record DamagedContent(PaymentReference Intended, string Damaged, string Content)
{
    public override string ToString() => $"{Intended} damaged to {Damaged} in «{Content}»";
}

/// <summary>A content made only of ordinary words: Vietnamese syllables, bank boilerplate, abbreviations, numbers.</summary>
public sealed record OrdinaryContent(string Content)
{
    public override string ToString() => $"«{Content}»";
}

/// <summary>
/// Generators of the matching laws (<see cref="TransferContentLaws"/>), in one place so an auditor sees what is tried.
/// Rewrites (research/vietqr-bank.md §4–5): a bank or wallet prefix (VCB <c>MBVCB.trace.</c>, interbank
/// <c>trace.ddmmyy.hhmmss.</c>, MB <c>CUSTOMER MBVCB …</c>, MoMo, or a prefix glued on without a separator), a suffix
/// (our description, VCB's <c>.CT tu … toi …</c>, a name with diacritics, text glued on without a separator), upper,
/// lower or mixed case, dots turned into spaces, spaces doubled, diacritics stripped, and the token split once by a
/// space, dot, dash or underscore at any inner position.
/// </summary>
public static class MatchingArbitraries
{
    /// <summary>Prefixes as delivered, each ending where the payer's text begins.</summary>
    public static readonly string[] Prefixes =
    [
        "",
        "MBVCB.1457193831.",
        "884114.100924.223854.",
        "CUSTOMER MBVCB 2420648919 339176 ",
        "311447.110821.213735.15330734312-0353460723-",
        "Đảng phí tháng 8 ",
        "NGUYEN VAN DUC chuyen tien ",
        "IBFT ",
        "(",
        "Ma:",
        "MBVCB1457193831",
    ];

    /// <summary>Suffixes as delivered; the last is glued on without a separator.</summary>
    public static readonly string[] Suffixes =
    [
        "",
        " DANG PHI T8",
        ".CT tu 0291000285902 VU HUYEN TUAN toi0071000962707 CHI BO KHU PHO 3",
        "  CT tu 0291000285902 NGUYEN VAN DUC toi 0071000962707",
        " - Nguyễn Văn Đức",
        ")",
        ";Đảng phí",
        " FT24256378112345",
        "DANGPHIT8",
    ];

    private const string GluedSuffix = "DANGPHIT8";

    private static readonly string[] SplitSeparators = [" ", ".", "-", "_"];

    private static Gen<PaymentReference> References { get; } =
        from id in Gen.Choose(0, int.MaxValue).Select(i => (long)i * 12 % PaymentReference.BodySpace)
        from member in Gen.Elements(true, false)
        select member ? PaymentReference.ForMember(id) : PaymentReference.NewRequest(id);

    private static Gen<string> Recased(string text) =>
        Gen.Elements(0, 1, 2).Select(mode => mode switch
        {
            0 => text,
            1 => text.ToLowerInvariant(),
            _ => string.Concat(text.Select((c, i) => i % 2 == 0 ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c))),
        });

    /// <summary>Builds a content around <paramref name="token"/> (already damaged or not) with the rewrites above.</summary>
    private static Gen<(string Content, string Recipe)> Around(string token) =>
        from prefix in Gen.Elements(Prefixes)
        from suffix in Gen.Elements(Suffixes)
        from split in Gen.Choose(0, PaymentReference.Length - 1)
        from separator in Gen.Elements(SplitSeparators)
        from dotsToSpaces in Gen.Elements(true, false)
        from doubleSpaces in Gen.Elements(true, false)
        from stripDiacritics in Gen.Elements(true, false)
        let splitHere = split > 0 && suffix != GluedSuffix
        let written = splitHere ? token[..split] + separator + token[split..] : token
        let raw = prefix + written + suffix
        let dotted = dotsToSpaces ? raw.Replace('.', ' ') : raw
        let spaced = doubleSpaces ? dotted.Replace(" ", "  ", StringComparison.Ordinal) : dotted
        let plain = stripDiacritics ? Fees.Domain.Text.VietnameseText.StripDiacritics(spaced) : spaced
        from cased in Recased(plain)
        select (cased, $"prefix «{prefix}», suffix «{suffix}», split {(splitHere ? split : 0)} by «{separator}», dots→spaces {dotsToSpaces}, doubled {doubleSpaces}, stripped {stripDiacritics}");

    public static Arbitrary<RewrittenContent> Rewritten() =>
        (from reference in References
         from built in Around(reference.Value)
         select new RewrittenContent(reference, built.Content, built.Recipe)).ToArbitrary();

    /// <summary>One character of the token replaced by any other symbol of the alphabet or a look-alike (0, 1, O, I, L).</summary>
    public static Arbitrary<DamagedContent> Damaged() =>
        (from reference in References
         from position in Gen.Choose(0, PaymentReference.Length - 1)
         from replacement in Gen.Elements((PaymentReference.Alphabet + "01OIL").ToCharArray())
         where replacement != reference.Value[position]
         let damaged = reference.Value[..position] + replacement + reference.Value[(position + 1)..]
         from built in Around(damaged)
         select new DamagedContent(reference, damaged, built.Content)).ToArbitrary();

    /// <summary>Vietnamese syllables as payers type them (with diacritics or not) and bank boilerplate.</summary>
    public static readonly string[] Vocabulary =
    [
        "Đảng", "đảng", "phí", "tháng", "năm", "nộp", "chuyển", "tiền", "khoản", "cho", "chi", "bộ", "khu", "phố", "đồng",
        "chí", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Văn", "Thị", "Đức", "Mai", "Tuấn", "Nhung", "Hồng",
        "Nam", "Minh", "Thanh", "Nhân", "Đào", "Dũng", "Dương", "Đạt", "Điệp", "Định", "Đông", "Thương", "Nghiêng", "Quỳnh",
        "Trường", "Ngoãn", "Huyền", "quý", "đợt", "tạm", "ứng", "thu", "hộ", "tổ", "đảng", "viên", "ủy", "phường", "xã",
        "dang", "phi", "thang", "nop", "chuyen", "tien", "DANGPHI", "naptien", "ri", "khung",
        "MBVCB", "CUSTOMER", "CT", "tu", "toi", "IBFT", "REM", "Tfr", "Ac", "GD", "TK", "CK", "SEPAY", "MoMo", "ZaloPay",
        "TRACE", "FT", "QR", "NAPAS", "VCB", "BIDV", "ACB", "TCB",
        // The abbreviations ĐP (đảng phí) and ĐT (điện thoại), the only ordinary words with DP/DT.
        "ĐP", "ĐT", "DP", "DT", "đp", "đt",
    ];

    private static Gen<string> Number { get; } = Gen.OneOf(
        // ddMMyy and ddMMyyyy dates: a month 01–12 always holds a 0 or a 1.
        from d in Gen.Choose(1, 28) from m in Gen.Choose(1, 12) from y in Gen.Choose(24, 40)
        from full in Gen.Elements(true, false)
        select full ? $"{d:D2}{m:D2}20{y:D2}" : $"{d:D2}{m:D2}{y:D2}",
        from d in Gen.Choose(1, 28) from m in Gen.Choose(1, 12) select $"{d:D2}/{m:D2}/2026",
        from h in Gen.Choose(0, 23) from mi in Gen.Choose(0, 59) from s in Gen.Choose(0, 59) select $"{h:D2}{mi:D2}{s:D2}",
        from h in Gen.Choose(0, 23) from mi in Gen.Choose(0, 59) select $"{h:D2}:{mi:D2}",
        Gen.Choose(100_000, 999_999).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        // Account numbers (10–14 digits) and phone numbers (0 and 9 digits).
        from a in Gen.Choose(100_000, 999_999) from b in Gen.Choose(1_000, 99_999_999) select $"{a}{b}",
        Gen.Choose(10_000_000, 99_999_999).Select(i => "09" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        // Amounts up to 7 digits, and small numbers (months, counts).
        Gen.Choose(0, 9_999_999).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Choose(1, 12).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static Gen<string> Separator { get; } = Gen.Elements(" ", " ", " ", "  ", ".", "-", ". ", " - ", ", ", "/");

    public static Arbitrary<OrdinaryContent> Ordinary() =>
        (from count in Gen.Choose(0, 30)
         from words in Gen.Frequency((3, Gen.Elements(Vocabulary)), (1, Number)).ArrayOf(count)
         from separators in Separator.ArrayOf(count)
         from cased in Recased(string.Concat(words.Zip(separators, (w, s) => w + s)))
         select new OrdinaryContent(cased)).ToArbitrary();

    /// <summary>Arbitrary text biased towards what a reference is made of, so that the check gate is actually reached.</summary>
    public static Arbitrary<OrdinaryContent> NearlyReferences() =>
        (from chars in Gen.Frequency(
                (6, Gen.Elements(PaymentReference.Alphabet.ToCharArray())),
                (3, Gen.Elements('D', 'P', 'T')),
                (2, Gen.Elements(' ', '.', '-', '_', ',')),
                (1, Gen.Elements('đ', 'Đ', 'ð', 'o', 'i', '0', '1', 'ả')))
            .ArrayOf()
         select new OrdinaryContent(new string(chars))).ToArbitrary();
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Text;
using Fees.Domain.Text;
using Fees.Domain.Time;

namespace Fees.Domain.Dues;

/// <summary>Whom a <see cref="PaymentReference"/> points at.</summary>
public enum PaymentReferenceKind
{
    /// <summary><c>DP…</c>: one payment request (a dynamic QR for given periods and amount).</summary>
    Request,
    /// <summary><c>DT…</c>: a member's standing reference, printed on a static QR and reused every month.</summary>
    Member,
    /// <summary><c>DR…</c>: one remittance order, an organization's share passed up to its parent after a close.</summary>
    Remittance,
}

/// <summary>
/// The token that ties a bank transfer to a payment request or a member: 10 upper-case characters, a 2-letter prefix
/// (<c>DP</c> request, <c>DT</c> member, <c>DR</c> remittance to the parent), a 7-character body and one check character, e.g. <c>DP7K2QF9XZ</c>.
/// Format, checksum and the reasoning are in <c>docs/payment-reference.md</c>.
/// </summary>
/// <remarks>
/// <para>Alphabet: <c>23456789ABCDEFGHJKMNPQRSTUVWXYZ</c>, the 31 digits and letters left once the look-alikes
/// 0/O and 1/I/L are removed. 31 is prime, which lets one check character (weighted sum mod 31, weights 10…1 over the
/// whole token, prefix included) detect every single-character substitution and every transposition of adjacent
/// characters (and of characters two apart).</para>
/// <para>Equality is ordinal on <see cref="Value"/>.</para>
/// </remarks>
public sealed record PaymentReference
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    public const string RequestPrefix = "DP";
    public const string MemberPrefix = "DT";
    public const string RemittancePrefix = "DR";
    public const int Length = 10;
    public const int BodyLength = 7;

    /// <summary>Longest transfer purpose a VietQR code carries (tag 62.08).</summary>
    public const int MaxPurposeLength = 25;

    private const int Radix = 31;

    /// <summary>Number of distinct bodies: 31^7 = 27,512,614,111. Ids must be below this.</summary>
    public const long BodySpace = 27_512_614_111;

    // Bodies come from ids through an affine bijection x -> (a·x + b) mod 31^7, so that consecutive ids give references
    // that look unrelated (a treasurer does not confuse neighbours) while staying collision-free and reversible.
    // Each multiplier is coprime to 31, hence invertible modulo 31^7.
    private static readonly Scrambler RequestScrambler = new(multiplier: 9_876_543_211, offset: 12_345_678_901);
    private static readonly Scrambler MemberScrambler = new(multiplier: 7_368_787_003, offset: 3_141_592_653);
    private static readonly Scrambler RemittanceScrambler = new(multiplier: 5_915_587_277, offset: 2_718_281_828);

    private static readonly int[] ValueOf = BuildValueTable();

    private PaymentReference(string value, PaymentReferenceKind kind, long number)
    {
        Value = value;
        Kind = kind;
        Number = number;
    }

    /// <summary>The canonical 10-character token.</summary>
    public string Value { get; }

    public PaymentReferenceKind Kind { get; }

    /// <summary>
    /// The id the body encodes: the member id of a standing reference, the request id given to
    /// <see cref="NewRequest(long)"/>. For a reference from <see cref="NewRequest(Random)"/> it is an arbitrary number.
    /// </summary>
    public long Number { get; }

    /// <summary>The reference of a payment request with database id <paramref name="requestId"/> (0 ≤ id &lt; 31^7); never collides.</summary>
    public static PaymentReference NewRequest(long requestId) => FromNumber(PaymentReferenceKind.Request, requestId);

    /// <summary>
    /// A random request reference. Random bodies do collide (see the docs): store it under a unique index and draw
    /// again on conflict. Prefer <see cref="NewRequest(long)"/> when an id exists.
    /// </summary>
    public static PaymentReference NewRequest(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var body = new char[BodyLength];
        for (int i = 0; i < body.Length; i++)
        {
            body[i] = Alphabet[random.Next(Radix)];
        }
        return Build(PaymentReferenceKind.Request, new string(body));
    }

    /// <summary>The standing reference of member <paramref name="memberId"/> (0 ≤ id &lt; 31^7): the same every time.</summary>
    public static PaymentReference ForMember(long memberId) => FromNumber(PaymentReferenceKind.Member, memberId);

    /// <summary>The reference of remittance order <paramref name="orderId"/> (0 ≤ id &lt; 31^7): what the child's transfer to its parent carries.</summary>
    public static PaymentReference ForRemittance(long orderId) => FromNumber(PaymentReferenceKind.Remittance, orderId);

    /// <summary>
    /// Reads a reference written on its own (surrounding spaces and lower case tolerated). To find one inside a bank's
    /// transfer content use <see cref="FindIn"/>.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out PaymentReference? reference)
    {
        reference = null;
        if (text is null)
        {
            return false;
        }
        string candidate = text.Trim().ToUpperInvariant();
        if (candidate.Length != Length || !IsValidToken(candidate))
        {
            return false;
        }
        reference = FromValidToken(candidate);
        return true;
    }

    public static PaymentReference Parse(string text) =>
        TryParse(text, out var reference) ? reference : throw new FormatException($"'{text}' is not a payment reference.");

    /// <summary>
    /// Every reference in a bank's transfer content, in order of appearance, however the bank rewrote it: case changed,
    /// diacritics stripped, spaces, dots or dashes inserted or removed, text added before and after
    /// (<c>MBVCB.1457193831.DP7K2QF9XZ.CT tu 0291000285902 …</c>). Only tokens whose check character verifies are returned.
    /// </summary>
    /// <remarks>
    /// The content is folded to upper-case <c>[A-Z0-9]</c>, then every <c>DP</c>/<c>DT</c> followed by 8 alphabet
    /// characters is checked. A stray window passes the check by chance with probability 1/31, so a caller must still look
    /// the reference up and treat an unknown one as no match.
    /// </remarks>
    public static IReadOnlyList<PaymentReference> FindIn(string? bankContent)
    {
        if (string.IsNullOrEmpty(bankContent))
        {
            return [];
        }
        string folded = Fold(bankContent);
        var found = new List<PaymentReference>();
        for (int start = 0; start + Length <= folded.Length; start++)
        {
            if (folded[start] != 'D' || folded[start + 1] is not ('P' or 'T' or 'R'))
            {
                continue;
            }
            string candidate = folded.Substring(start, Length);
            if (IsValidToken(candidate) && !found.Exists(r => r.Value == candidate))
            {
                found.Add(FromValidToken(candidate));
            }
        }
        return found;
    }

    /// <summary>
    /// The transfer purpose (VietQR tag 62.08) for <paramref name="reference"/> paying <paramref name="periods"/>: the
    /// reference first, then a short ASCII description, at most 25 characters:
    /// <c>DP7K2QF9XZ DANG PHI T8</c>, <c>DP7K2QF9XZ DANG PHI T8-9</c> (consecutive months),
    /// <c>DP7K2QF9XZ DANGPHI 3THANG</c> (months with gaps). The description is compacted (then cut) only as far as needed to fit.
    /// </summary>
    public static string Purpose(PaymentReference reference, IEnumerable<Period> periods)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(periods);
        var months = periods.Distinct().Order().ToList();
        foreach (string description in Descriptions(months))
        {
            string text = reference.Value + " " + description;
            if (text.Length <= MaxPurposeLength)
            {
                return text;
            }
        }
        return (reference.Value + " DANGPHI")[..Math.Min(MaxPurposeLength, reference.Value.Length + 8)];
    }

    private static IEnumerable<string> Descriptions(List<Period> months)
    {
        var inv = CultureInfo.InvariantCulture;
        if (months.Count == 0)
        {
            yield return "DANG PHI";
            yield break;
        }
        if (months.Count == 1)
        {
            yield return string.Create(inv, $"DANG PHI T{months[0].Month}");
            yield break;
        }
        bool consecutive = months[^1].MonthsSince(months[0]) == months.Count - 1;
        if (consecutive && months.Count < 12)
        {
            yield return string.Create(inv, $"DANG PHI T{months[0].Month}-{months[^1].Month}");
            yield return string.Create(inv, $"DANGPHI T{months[0].Month}-{months[^1].Month}");
        }
        yield return string.Create(inv, $"DANG PHI {months.Count} THANG");
        yield return string.Create(inv, $"DANGPHI {months.Count} THANG");
        yield return string.Create(inv, $"DANGPHI {months.Count}THANG");
        yield return string.Create(inv, $"DANG PHI {months.Count}T");
    }

    /// <summary>Whether <paramref name="token"/> is exactly a well-formed reference with a verifying check character.</summary>
    public static bool IsValidToken(string token)
    {
        if (token.Length != Length || token[0] != 'D' || token[1] is not ('P' or 'T' or 'R'))
        {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < Length; i++)
        {
            int value = ValueAt(token[i]);
            if (value < 0)
            {
                return false;
            }
            sum += (Length - i) * value;
        }
        return sum % Radix == 0;
    }

    public override string ToString() => Value;

    private static PaymentReference FromNumber(PaymentReferenceKind kind, long id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, BodySpace);
        long scrambled = ScramblerOf(kind).Forward(id);
        var body = new char[BodyLength];
        for (int i = BodyLength - 1; i >= 0; i--)
        {
            body[i] = Alphabet[(int)(scrambled % Radix)];
            scrambled /= Radix;
        }
        return Build(kind, new string(body));
    }

    private static PaymentReference Build(PaymentReferenceKind kind, string body)
    {
        string withoutCheck = PrefixOf(kind) + body;
        int sum = 0;
        for (int i = 0; i < withoutCheck.Length; i++)
        {
            sum += (Length - i) * ValueAt(withoutCheck[i]);
        }
        // The check character has weight 1: pick it so that the weighted sum of all ten is 0 mod 31.
        char check = Alphabet[(Radix - (sum % Radix)) % Radix];
        return FromValidToken(withoutCheck + check);
    }

    private static PaymentReference FromValidToken(string token)
    {
        var kind = token[1] switch
        {
            'T' => PaymentReferenceKind.Member,
            'R' => PaymentReferenceKind.Remittance,
            _ => PaymentReferenceKind.Request,
        };
        long scrambled = 0;
        for (int i = 2; i < 2 + BodyLength; i++)
        {
            scrambled = (scrambled * Radix) + ValueAt(token[i]);
        }
        long number = ScramblerOf(kind).Backward(scrambled);
        return new PaymentReference(token, kind, number);
    }

    private static Scrambler ScramblerOf(PaymentReferenceKind kind) => kind switch
    {
        PaymentReferenceKind.Member => MemberScrambler,
        PaymentReferenceKind.Remittance => RemittanceScrambler,
        _ => RequestScrambler,
    };

    private static string PrefixOf(PaymentReferenceKind kind) => kind switch
    {
        PaymentReferenceKind.Member => MemberPrefix,
        PaymentReferenceKind.Remittance => RemittancePrefix,
        _ => RequestPrefix,
    };

    /// <summary>Upper case, no diacritics, only A–Z and 0–9: what survives every rewrite banks were seen to do.</summary>
    private static string Fold(string content)
    {
        string plain = VietnameseText.StripDiacritics(content).ToUpperInvariant();
        var builder = new StringBuilder(plain.Length);
        foreach (char c in plain)
        {
            if (c is (>= 'A' and <= 'Z') or (>= '0' and <= '9'))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static int ValueAt(char c) => c < ValueOf.Length ? ValueOf[c] : -1;

    private static int[] BuildValueTable()
    {
        var table = new int[128];
        Array.Fill(table, -1);
        for (int i = 0; i < Alphabet.Length; i++)
        {
            table[Alphabet[i]] = i;
        }
        return table;
    }

    /// <summary>x -> (a·x + b) mod 31^7 and its inverse.</summary>
    private sealed class Scrambler
    {
        private readonly BigInteger _multiplier;
        private readonly BigInteger _inverse;
        private readonly BigInteger _offset;

        public Scrambler(long multiplier, long offset)
        {
            if (multiplier % Radix == 0)
            {
                throw new ArgumentException("The multiplier must be coprime to 31.", nameof(multiplier));
            }
            _multiplier = multiplier % BodySpace;
            _offset = offset % BodySpace;
            // Euler: a^(φ(31^7) − 1) is a's inverse modulo 31^7, φ(31^7) = 31^6 · 30.
            BigInteger phi = BigInteger.Pow(Radix, BodyLength - 1) * (Radix - 1);
            _inverse = BigInteger.ModPow(_multiplier, phi - 1, BodySpace);
        }

        public long Forward(long x) => (long)(((_multiplier * x) + _offset) % BodySpace);

        public long Backward(long y) => (long)((((y - _offset) % BodySpace + BodySpace) * _inverse) % BodySpace);
    }
}

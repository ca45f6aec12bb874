using System.Globalization;
using System.Text;
using Fees.Domain.Amounts;

namespace Fees.Domain.Rules;

/// <summary>
/// An exact, non-negative fraction of đồng (numerator / denominator) kept between the rule steps so that the amount is
/// rounded once, at the end (<see cref="RuleIds.Rounding"/>). Denominators are products of powers of ten, so the
/// decimal expansion shown in explanations always terminates.
/// </summary>
internal readonly record struct ExactAmount
{
    private ExactAmount(long numerator, long denominator)
    {
        long gcd = Gcd(numerator, denominator);
        Numerator = numerator / gcd;
        Denominator = denominator / gcd;
    }

    public long Numerator { get; }

    public long Denominator { get; }

    public static ExactAmount Of(Money amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount.Dong, nameof(amount));
        return new ExactAmount(amount.Dong, 1);
    }

    /// <summary>This amount × <paramref name="rate"/>, exactly.</summary>
    public ExactAmount Times(Percent rate) =>
        new(checked(Numerator * rate.BasisPoints), checked(Denominator * 10_000));

    /// <summary>This amount × (100% − <paramref name="reduction"/>), exactly.</summary>
    public ExactAmount Reduced(Percent reduction) =>
        new(checked(Numerator * (10_000 - reduction.BasisPoints)), checked(Denominator * 10_000));

    public bool IsWhole => Denominator == 1;

    /// <summary>Whether the whole amount <paramref name="amount"/> is strictly greater than this one.</summary>
    public bool IsLessThan(Money amount) => checked(amount.Dong * (Int128)Denominator) > Numerator;

    public Money Round(Rounding rounding) => Money.Vnd(rounding.Divide(Numerator, Denominator));

    /// <summary>Vietnamese form with dot thousands and comma decimals: <c>15.929,6 đ</c>.</summary>
    public string ToDisplayString()
    {
        long whole = Numerator / Denominator;
        long rest = Numerator % Denominator;
        var text = new StringBuilder(Money.Vnd(whole).ToDisplayString());
        if (rest == 0)
        {
            return text.ToString();
        }
        text.Length -= 2; // drop " đ", put it back after the decimals
        text.Append(',');
        // The denominator divides a power of ten, so this terminates; cap it anyway.
        for (int digits = 0; rest != 0 && digits < 12; digits++)
        {
            rest = checked(rest * 10);
            text.Append(((int)(rest / Denominator)).ToString(CultureInfo.InvariantCulture));
            rest %= Denominator;
        }
        return text.Append(" đ").ToString();
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }
        return a == 0 ? 1 : a;
    }
}

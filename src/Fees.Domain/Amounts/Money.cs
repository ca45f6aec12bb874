using System.Globalization;

namespace Fees.Domain.Amounts;

/// <summary>
/// An amount of Vietnamese đồng. VND has no minor unit in use, so the value is a whole number of đồng
/// held in a <see cref="long"/>; arithmetic is checked and throws <see cref="OverflowException"/> rather than wrap.
/// </summary>
/// <remarks>
/// Negative values are allowed (a reversing line, a balance); use <see cref="NonNegative"/> where a negative
/// amount would be a bug. The default value is <see cref="Zero"/>. Never converted to or from floating point.
/// </remarks>
public readonly record struct Money : IComparable<Money>
{
    private Money(long dong) => Dong = dong;

    /// <summary>The amount in whole đồng.</summary>
    public long Dong { get; }

    public static Money Zero => default;

    public static Money Vnd(long dong) => new(dong);

    /// <summary>An amount that must not be negative (a fee, a payment, a salary).</summary>
    public static Money NonNegative(long dong, string paramName = "dong")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dong, paramName);
        return new Money(dong);
    }

    public bool IsZero => Dong == 0;
    public bool IsNegative => Dong < 0;
    public bool IsPositive => Dong > 0;

    public static Money operator +(Money left, Money right) => new(checked(left.Dong + right.Dong));
    public static Money operator -(Money left, Money right) => new(checked(left.Dong - right.Dong));
    public static Money operator -(Money value) => new(checked(-value.Dong));
    public static bool operator <(Money left, Money right) => left.Dong < right.Dong;
    public static bool operator >(Money left, Money right) => left.Dong > right.Dong;
    public static bool operator <=(Money left, Money right) => left.Dong <= right.Dong;
    public static bool operator >=(Money left, Money right) => left.Dong >= right.Dong;

    public static Money Min(Money a, Money b) => a <= b ? a : b;
    public static Money Max(Money a, Money b) => a >= b ? a : b;

    public static Money Sum(IEnumerable<Money> amounts)
    {
        long total = 0;
        foreach (var a in amounts)
        {
            total = checked(total + a.Dong);
        }
        return new Money(total);
    }

    public int CompareTo(Money other) => Dong.CompareTo(other.Dong);

    /// <summary>Vietnamese display form: <c>54.756 đ</c> (dot as thousands separator).</summary>
    public string ToDisplayString() =>
        Dong.ToString("#,0", VietnameseNumberFormat) + " đ";

    public override string ToString() => Dong.ToString(CultureInfo.InvariantCulture) + " VND";

    internal static readonly NumberFormatInfo VietnameseNumberFormat = new()
    {
        NumberGroupSeparator = ".",
        NumberDecimalSeparator = ",",
        NegativeSign = "-",
    };
}

using System.Globalization;

namespace Fees.Domain.Amounts;

/// <summary>
/// A rate in basis points (1 bp = 0.01%), so 1% is 100 bp and 0.3% is 30 bp. Kept as an integer so that
/// fee arithmetic stays exact; applying a rate to an amount rounds once, by an explicit <see cref="Rounding"/>.
/// </summary>
public readonly record struct Percent : IComparable<Percent>
{
    private Percent(int basisPoints) => BasisPoints = basisPoints;

    public int BasisPoints { get; }

    public static Percent FromBasisPoints(int basisPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(basisPoints);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(basisPoints, 10_000);
        return new Percent(basisPoints);
    }

    public static Percent FromWholePercent(int percent) => FromBasisPoints(checked(percent * 100));

    public static Percent Zero => default;
    public static Percent Hundred => new(10_000);

    /// <summary>Applies the rate: <c>amount × bp / 10 000</c>, computed exactly, then rounded once.</summary>
    public Money Of(Money amount, Rounding rounding)
    {
        long numerator = checked(amount.Dong * BasisPoints);
        return Money.Vnd(rounding.Divide(numerator, 10_000));
    }

    public int CompareTo(Percent other) => BasisPoints.CompareTo(other.BasisPoints);

    /// <summary>Vietnamese form: <c>0,3%</c>, <c>1%</c>.</summary>
    public string ToDisplayString()
    {
        decimal value = BasisPoints / 100m;
        return value.ToString("0.##", Money.VietnameseNumberFormat) + "%";
    }

    public override string ToString() => (BasisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}

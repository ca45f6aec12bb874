namespace Fees.Domain.Amounts;

/// <summary>How an exact fraction of đồng becomes a whole number of đồng.</summary>
public enum Rounding
{
    /// <summary>Half away from zero (0.5 đ → 1 đ), the ordinary rounding of Vietnamese accounting.</summary>
    HalfUp = 0,
    /// <summary>Towards zero: never charges a member more than the exact amount.</summary>
    Down = 1,
}

public static class RoundingExtensions
{
    /// <summary>Divides <paramref name="numerator"/> by a positive <paramref name="denominator"/>, rounding as told.</summary>
    public static long Divide(this Rounding rounding, long numerator, long denominator)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(denominator);
        long quotient = Math.DivRem(numerator, denominator, out long remainder);
        return rounding switch
        {
            Rounding.Down => quotient,
            Rounding.HalfUp when Math.Abs(remainder) * 2 >= denominator => quotient + Math.Sign(numerator),
            Rounding.HalfUp => quotient,
            _ => throw new ArgumentOutOfRangeException(nameof(rounding), rounding, null),
        };
    }
}

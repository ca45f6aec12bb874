namespace Fees.DemoData;

/// <summary>
/// A bijection on the numbers with a fixed count of decimal digits, so sequence numbers become unique numbers that
/// do not look sequential: an affine map, the digits reversed, another affine map. Each step is a bijection
/// (the multipliers are coprime with 10), hence so is the whole.
/// </summary>
internal static class DigitScramble
{
    public static long Apply(long value, int digits)
    {
        long modulus = 1;
        for (int i = 0; i < digits; i++)
        {
            modulus *= 10;
        }
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, modulus);
        // Products stay below 2^63: value < 10^9 and the multipliers are below 10^9.
        long x = MulAdd(value, 387_420_489, 271_828_183, modulus);
        x = Reverse(x, digits);
        return MulAdd(x, 710_221_133, 314_159_265, modulus);
    }

    private static long MulAdd(long x, long multiplier, long addend, long modulus) =>
        ((x * (multiplier % modulus)) + (addend % modulus)) % modulus;

    private static long Reverse(long x, int digits)
    {
        long r = 0;
        for (int i = 0; i < digits; i++)
        {
            r = (r * 10) + (x % 10);
            x /= 10;
        }
        return r;
    }
}

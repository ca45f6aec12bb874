namespace Fees.DemoData.Tests;

public sealed class PrimitivesTests
{
    [Fact]
    public void DemoRandom_IsTheReferenceSplitMix64()
    {
        // Reference values of splitmix64.c (Vigna) for seed 0: the sequence must never change, or demo data would.
        var rng = new DemoRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, rng.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, rng.NextUInt64());
    }

    [Fact]
    public void DigitScramble_IsABijection()
    {
        var seen = new HashSet<long>();
        for (long i = 0; i < 10_000; i++)
        {
            long x = DigitScramble.Apply(i, 4);
            Assert.InRange(x, 0, 9_999);
            Assert.True(seen.Add(x));
        }
    }

    [Fact]
    public void DigitScramble_DoesNotLookSequential()
    {
        long a = DigitScramble.Apply(1, 8);
        long b = DigitScramble.Apply(2, 8);
        long c = DigitScramble.Apply(3, 8);
        Assert.NotEqual(b - a, c - b);
    }
}

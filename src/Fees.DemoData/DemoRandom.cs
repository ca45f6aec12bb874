namespace Fees.DemoData;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a tiny seeded PRNG implemented here rather than
/// <see cref="System.Random"/>, whose seeded sequence .NET does not promise to keep across versions.
/// Only integer arithmetic, so the output is byte-identical on every platform and runtime.
/// </summary>
internal struct DemoRandom
{
    private ulong _state;

    public DemoRandom(ulong seed) => _state = seed;

    /// <summary>An independent stream for a sub-part (an organization, a member): mixes the seed with the keys.</summary>
    public static DemoRandom For(long seed, ulong stream, ulong index)
    {
        unchecked
        {
            ulong s = Mix((ulong)seed ^ 0x5DEECE66DUL);
            s = Mix(s ^ (stream * 0x9E3779B97F4A7C15UL));
            s = Mix(s ^ (index + 0xD1B54A32D192ED03UL));
            return new DemoRandom(s);
        }
    }

    public ulong NextUInt64()
    {
        unchecked
        {
            _state += 0x9E3779B97F4A7C15UL;
            return Mix(_state);
        }
    }

    /// <summary>Uniform in [0, maxExclusive). The modulo bias on a 64-bit draw is below 2^-32: irrelevant here.</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(NextUInt64() % (ulong)maxExclusive);
    }

    /// <summary>Uniform in [min, max], both inclusive.</summary>
    public int Between(int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        return min + Next(max - min + 1);
    }

    /// <summary>Uniform in [min, max], both inclusive.</summary>
    public long Between(long min, long max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        return min + (long)(NextUInt64() % (ulong)(max - min + 1));
    }

    /// <summary>True with probability <paramref name="perTenThousand"/>/10,000 (integers only: no floating point).</summary>
    public bool Chance(int perTenThousand) => Next(10_000) < perTenThousand;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Index drawn with the given integer weights.</summary>
    public int PickWeighted(ReadOnlySpan<int> weights)
    {
        int total = 0;
        foreach (int w in weights)
        {
            total += w;
        }
        int r = Next(total);
        for (int i = 0; i < weights.Length; i++)
        {
            r -= weights[i];
            if (r < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}

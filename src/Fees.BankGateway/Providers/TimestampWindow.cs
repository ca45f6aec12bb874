using System.Globalization;

namespace Fees.BankGateway.Providers;

/// <summary>Reads a signed unix timestamp and checks it against <see cref="WebhookLimits.TimestampTolerance"/>.</summary>
internal static class TimestampWindow
{
    private const long MaxUnixSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z, DateTimeOffset's ceiling.

    /// <summary>Digits only (no sign, no spaces), at most 12 for seconds or 15 for milliseconds, within DateTimeOffset's range.</summary>
    public static bool TryParse(string text, bool milliseconds, out DateTimeOffset instant)
    {
        instant = default;
        int maxDigits = milliseconds ? 15 : 12;
        if (text.Length is 0 || text.Length > maxDigits || !text.All(char.IsAsciiDigit))
        {
            return false;
        }
        long value = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value > (milliseconds ? (MaxUnixSeconds * 1000) + 999 : MaxUnixSeconds))
        {
            return false;
        }
        instant = milliseconds ? DateTimeOffset.FromUnixTimeMilliseconds(value) : DateTimeOffset.FromUnixTimeSeconds(value);
        return true;
    }

    /// <summary>Null when |now − instant| ≤ 5 minutes; else why, in English.</summary>
    public static string? Outside(DateTimeOffset instant, DateTimeOffset now, string header)
    {
        TimeSpan skew = now - instant;
        if (skew.Duration() <= WebhookLimits.TimestampTolerance)
        {
            return null;
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{header} is {(long)skew.Duration().TotalSeconds} s {(skew > TimeSpan.Zero ? "in the past" : "in the future")} (tolerance {(long)WebhookLimits.TimestampTolerance.TotalSeconds} s).");
    }
}

using Fees.Domain.Time;

namespace Fees.Domain.Remittance;

/// <summary>
/// How often an organization closes its books and remits: monthly, or quarterly (the legacy B01/ĐP report is
/// quarterly, and guidance pages say "theo tháng hoặc theo quý"). Stored as the lower-case code.
/// </summary>
public enum CloseCadence
{
    /// <summary><c>monthly</c>: every period is a close.</summary>
    Monthly,
    /// <summary><c>quarterly</c>: only March, June, September and December are closes; each sweeps its quarter.</summary>
    Quarterly,
}

public static class CloseCadences
{
    public static string ToCode(this CloseCadence cadence) => cadence switch
    {
        CloseCadence.Monthly => "monthly",
        CloseCadence.Quarterly => "quarterly",
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, null),
    };

    public static bool TryParse(string? code, out CloseCadence cadence)
    {
        cadence = code switch
        {
            "monthly" => CloseCadence.Monthly,
            "quarterly" => CloseCadence.Quarterly,
            _ => (CloseCadence)(-1),
        };
        return Enum.IsDefined(cadence);
    }

    public static CloseCadence Parse(string code) =>
        TryParse(code, out var cadence) ? cadence : throw new InvalidOperationException($"Unknown close cadence '{code}'.");

    public static string ToVietnamese(this CloseCadence cadence) => cadence switch
    {
        CloseCadence.Monthly => "Hằng tháng",
        CloseCadence.Quarterly => "Hằng quý",
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, null),
    };

    /// <summary>Whether <paramref name="period"/> is one this cadence closes (the last month of a quarter, for quarterly).</summary>
    public static bool Closes(this CloseCadence cadence, Period period) => cadence switch
    {
        CloseCadence.Monthly => true,
        CloseCadence.Quarterly => period.Month % 3 == 0,
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, null),
    };

    /// <summary>The close that covers <paramref name="period"/>: itself when monthly, its quarter's last month when quarterly.</summary>
    public static Period CloseCovering(this CloseCadence cadence, Period period) => cadence switch
    {
        CloseCadence.Monthly => period,
        CloseCadence.Quarterly => Period.Of(period.Year, ((period.Month + 2) / 3) * 3),
        _ => throw new ArgumentOutOfRangeException(nameof(cadence), cadence, null),
    };
}

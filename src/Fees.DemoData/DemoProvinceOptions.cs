using System.Text.RegularExpressions;
using Fees.Domain.Time;

namespace Fees.DemoData;

/// <summary>What province to generate. The same options always produce byte-identical files.</summary>
public sealed partial record DemoProvinceOptions
{
    /// <summary>The seed used when none is given (the first period collected on the system, as a number).</summary>
    public const long DefaultSeed = 20_260_801;

    public long Seed { get; init; } = DefaultSeed;

    /// <summary>
    /// Prefix of every organization code (codes are unique nationally, so each province gets its own prefix).
    /// 1–10 characters of <c>A–Z 0–9 _ -</c> so that the deepest child code stays within the contract's 30.
    /// </summary>
    public string ProvinceCode { get; init; } = "HN";

    /// <summary>Place name without the "tỉnh"/"thành phố" prefix, with diacritics: "Hà Nội", "Nghệ An".</summary>
    public string ProvinceName { get; init; } = "Hà Nội";

    /// <summary>
    /// Code of an organization already in the system that the province committee sits under (the centre, kind
    /// <c>central</c>: see <see cref="DemoCentre"/>), so its close remits upward; null writes the province as a root.
    /// </summary>
    public string? ParentCode { get; init; }

    /// <summary>
    /// What the committee is: a province (the default: communes and provincial agencies) or one of the central-level
    /// committees directly under the Central Committee (agencies, or armed forces, without communes). For a central-level
    /// committee <see cref="ProvinceName"/> is its full name ("Đảng ủy Chính phủ").
    /// </summary>
    public DemoUnitShape Shape { get; init; } = DemoUnitShape.Province;

    /// <summary>Centrally run city (thành phố: "Thành ủy …", more wards) rather than a province ("Tỉnh ủy …").</summary>
    public bool IsCity { get; init; } = true;

    /// <summary>
    /// 1–99, the first two digits of every member number. Give each province of a national run its own number
    /// (the administrative code is a good choice: Hà Nội 01), so member numbers stay unique across files.
    /// </summary>
    public int ProvinceNumber { get; init; } = 1;

    /// <summary>Party members to generate: 300 … 99,999,999 (the default is a demo-sized province).</summary>
    public int Members { get; init; } = 3_000;

    /// <summary>First income period written (inclusive).</summary>
    public Period FirstIncomePeriod { get; init; } = Period.Of(2026, 7);

    /// <summary>Last income period written (inclusive); a few members miss exactly this one on purpose.</summary>
    public Period LastIncomePeriod { get; init; } = Period.Of(2026, 11);

    /// <summary>
    /// The day ages, party years and probation are measured at: nobody joined on or after it, members who joined in
    /// the 12 months before it are probationary, and "50 party years" means joined on or before this day in 1976.
    /// </summary>
    public DateOnly AsOf { get; init; } = new(2026, 8, 1);

    internal void Validate()
    {
        if (!ProvinceCodePattern().IsMatch(ProvinceCode))
        {
            throw new ArgumentException($"Province code '{ProvinceCode}' must be 1–10 characters of A–Z 0–9 _ -.", nameof(ProvinceCode));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(ProvinceName);
        ArgumentOutOfRangeException.ThrowIfLessThan(ProvinceNumber, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ProvinceNumber, 99);
        ArgumentOutOfRangeException.ThrowIfLessThan(Members, 300);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Members, 99_999_999);
        if (LastIncomePeriod < FirstIncomePeriod)
        {
            throw new ArgumentException("The last income period comes before the first.", nameof(LastIncomePeriod));
        }
        if (AsOf.Year < 2000)
        {
            throw new ArgumentOutOfRangeException(nameof(AsOf), AsOf, "Must be in 2000 or later.");
        }
    }

    /// <summary>The same options with another member count (at least 300, the smallest province generated).</summary>
    internal DemoProvinceOptions WithMembers(int members) => this with { Members = Math.Max(300, members) };

    [GeneratedRegex("^[A-Z0-9_-]{1,10}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProvinceCodePattern();
}

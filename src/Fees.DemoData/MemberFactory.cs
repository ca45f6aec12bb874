using System.Globalization;
using Fees.Domain.Members;
using Fees.Domain.Time;

namespace Fees.DemoData;

/// <summary>
/// Members and their income, each drawn from its own PRNG stream keyed by the member's sequence number, so the
/// members file and the income file can be written in separate passes without keeping anyone in memory.
/// The category is always the first draw of the member stream: the income pass re-draws just that.
/// </summary>
internal sealed class MemberFactory
{
    private const ulong MemberStream = 2;
    private const ulong IncomeStream = 3;

    /// <summary>Lương cơ sở from 1/7/2024 (fee-rules §8): the unit of civil-service pay coefficients.</summary>
    private const long BaseSalaryVnd = 2_340_000;

    // Order: si, si_benefit, pensioner, student, other, social_pension; per ten thousand.
    private static readonly MemberCategory[] Categories =
    [
        MemberCategory.Si, MemberCategory.SiBenefit, MemberCategory.Pensioner, MemberCategory.Student,
        MemberCategory.Other, MemberCategory.SocialPension,
    ];
    private static readonly int[] RuralMix = [800, 150, 3300, 250, 5300, 200];
    private static readonly int[] UrbanMix = [1200, 200, 4700, 300, 3450, 150];
    private static readonly int[] OfficeMix = [9200, 400, 0, 0, 400, 0];
    private static readonly int[] SchoolMix = [9300, 600, 0, 0, 100, 0];
    private static readonly int[] AgencyMix = [9400, 400, 0, 0, 200, 0];
    private static readonly int[] ArmedMix = [9800, 200, 0, 0, 0, 0];
    private static readonly int[] EnterpriseMix = [9200, 400, 0, 0, 400, 0];

    private static readonly DateOnly EarliestBirth = new(1935, 1, 1);
    private static readonly DateOnly LatestBirth = new(2004, 12, 31);

    private readonly DemoProvinceOptions _options;
    private readonly Period[] _periods;

    public MemberFactory(DemoProvinceOptions options)
    {
        _options = options;
        int count = options.LastIncomePeriod.MonthsSince(options.FirstIncomePeriod) + 1;
        _periods = new Period[count];
        for (int i = 0; i < count; i++)
        {
            _periods[i] = options.FirstIncomePeriod.AddMonths(i);
        }
    }

    public IReadOnlyList<Period> Periods => _periods;

    /// <summary>
    /// Party-card-like number: two digits of province, then eight digits that are a bijection of the sequence
    /// number (unique, but not visibly sequential).
    /// </summary>
    public string MemberNo(long seq)
    {
        long scrambled = DigitScramble.Apply(seq, 8);
        return string.Create(CultureInfo.InvariantCulture, $"{_options.ProvinceNumber:D2}{scrambled:D8}");
    }

    public MemberCategory Category(OrgNode org, long seq)
    {
        var rng = DemoRandom.For(_options.Seed, MemberStream, (ulong)seq);
        return DrawCategory(ref rng, org.Profile);
    }

    public DemoMember Create(OrgNode org, long seq)
    {
        var rng = DemoRandom.For(_options.Seed, MemberStream, (ulong)seq);
        var category = DrawCategory(ref rng, org.Profile);
        int malePerTenThousand = category == MemberCategory.SiBenefit ? 1500 : org.Profile switch
        {
            LeafProfile.School => 3000,
            LeafProfile.Armed => 8800,
            LeafProfile.Agency => 5800,
            _ => 6400,
        };
        bool male = rng.Chance(malePerTenThousand);
        int age = DrawAge(ref rng, category, male);
        DateOnly asOf = _options.AsOf;
        DateOnly birth = asOf.AddYears(-age).AddDays(-1 - rng.Next(365));
        birth = birth < EarliestBirth ? EarliestBirth.AddDays(rng.Next(300)) : birth;
        birth = birth > LatestBirth ? LatestBirth.AddDays(-rng.Next(300)) : birth;
        (DateOnly joined, MemberStatus status) = DrawJoining(ref rng, category, birth);
        string name = VietnameseNames.FullName(ref rng, male, birth.Year);
        return new DemoMember(seq, MemberNo(seq), name, status, category, birth, male ? Sex.Male : Sex.Female, joined);
    }

    private static MemberCategory DrawCategory(ref DemoRandom rng, LeafProfile profile)
    {
        int[] mix = profile switch
        {
            LeafProfile.RuralResidential => RuralMix,
            LeafProfile.UrbanResidential => UrbanMix,
            LeafProfile.CommuneOffice => OfficeMix,
            LeafProfile.School => SchoolMix,
            LeafProfile.Armed => ArmedMix,
            LeafProfile.Enterprise => EnterpriseMix,
            _ => AgencyMix,
        };
        return Categories[rng.PickWeighted(mix)];
    }

    /// <summary>Age in whole years at <see cref="DemoProvinceOptions.AsOf"/>, consistent with the category.</summary>
    private static int DrawAge(ref DemoRandom rng, MemberCategory category, bool male)
    {
        switch (category)
        {
            case MemberCategory.Si:
                // Working age; the sum of two draws peaks in the forties. Retirement is ~61 (men), ~57 (women) in 2026.
                return 23 + ((rng.Next(20) + rng.Next(male ? 19 : 16)));
            case MemberCategory.SiBenefit:
                return male ? rng.Between(25, 58) : rng.Between(24, 42);
            case MemberCategory.Pensioner:
                // Most pensioners are in their sixties and seventies; the minimum of two draws thins out the oldest.
                int first = male ? 60 : 56;
                return first + Math.Min(rng.Next(92 - first), rng.Next(92 - first));
            case MemberCategory.Student:
                return rng.Between(21, 25);
            case MemberCategory.SocialPension:
                return rng.Between(75, 90);
            default:
                // Farmers, housewives, the self-employed, elderly members without a pension.
                return rng.Chance(5000) ? rng.Between(28, 60) : 60 + Math.Min(rng.Next(30), rng.Next(30));
        }
    }

    /// <summary>Joined at 18–45 (mostly mid-twenties to early thirties), before <c>AsOf</c>; probationary if within its last 12 months.</summary>
    private (DateOnly Joined, MemberStatus Status) DrawJoining(ref DemoRandom rng, MemberCategory category, DateOnly birth)
    {
        DateOnly asOf = _options.AsOf;
        DateOnly earliest = birth.AddYears(18);
        DateOnly latest = Min(birth.AddYears(45), asOf.AddDays(-1));
        DateOnly probationStart = asOf.AddMonths(-12);
        int ageNow = asOf.Year - birth.Year;
        int probationChance = category switch
        {
            MemberCategory.Student => 3500,
            MemberCategory.Si or MemberCategory.SiBenefit => ageNow <= 35 ? 1800 : 400,
            MemberCategory.Other => ageNow <= 45 ? 900 : 0,
            _ => 0,
        };
        bool canBeProbationary = latest >= probationStart && latest >= earliest;
        DateOnly latestOfficial = Min(latest, probationStart.AddDays(-1));
        if (canBeProbationary && (latestOfficial < earliest || rng.Chance(probationChance)))
        {
            DateOnly from = Max(earliest, probationStart);
            return (from.AddDays(rng.Next(latest.DayNumber - from.DayNumber + 1)), MemberStatus.Probationary);
        }
        int joinAge = 18 + ((rng.Next(20) + rng.Next(28)) / 2);
        DateOnly joined = birth.AddYears(joinAge).AddDays(rng.Next(365));
        joined = joined < earliest ? earliest : joined;
        joined = joined > latestOfficial ? latestOfficial.AddDays(-rng.Next(200)) : joined;
        joined = joined < earliest ? earliest : joined;
        return (joined, MemberStatus.Official);
    }

    /// <summary>
    /// Writes the member's income rows (one per period) and returns how many. Only <c>si</c>, <c>si_benefit</c>
    /// and <c>pensioner</c> have any. About 1% of <c>si</c> members have none at all and ~0.6% miss the last period.
    /// </summary>
    public int WriteIncome(TextWriter writer, OrgNode org, long seq, string memberNo, MemberCategory category)
    {
        if (category is not (MemberCategory.Si or MemberCategory.SiBenefit or MemberCategory.Pensioner))
        {
            return 0;
        }
        var rng = DemoRandom.For(_options.Seed, IncomeStream, (ulong)seq);
        var plan = PlanIncome(ref rng, org, category);
        if (plan.None)
        {
            return 0;
        }
        int rows = 0;
        long salary = plan.Amount;
        for (int i = 0; i < _periods.Length; i++)
        {
            if (plan.MissesLast && i == _periods.Length - 1)
            {
                break;
            }
            if (i == plan.RaiseAt)
            {
                salary = plan.Raised;
            }
            long amount = salary;
            if (plan.Varies)
            {
                // Overtime and bonuses in SI-counted pay add up to 10%, to the thousand đồng (never below the
                // contract wage, which is above every regional minimum).
                amount = salary * rng.Between(100, 110) / 100 / 1_000 * 1_000;
            }
            writer.Write(memberNo);
            writer.Write(',');
            writer.Write(_periods[i].ToString());
            writer.Write(',');
            if (category == MemberCategory.Si)
            {
                writer.Write(amount.ToString(CultureInfo.InvariantCulture));
            }
            writer.Write(',');
            if (category == MemberCategory.SiBenefit)
            {
                writer.Write(amount.ToString(CultureInfo.InvariantCulture));
            }
            writer.Write(',');
            if (category == MemberCategory.Pensioner)
            {
                writer.Write(amount.ToString(CultureInfo.InvariantCulture));
            }
            Csv.EndRow(writer);
            rows++;
        }
        return rows;
    }

    /// <summary>Whether the member has income rows for every period (used to pick the well-known demo member).</summary>
    public bool HasCompleteIncome(OrgNode org, long seq, MemberCategory category)
    {
        var rng = DemoRandom.For(_options.Seed, IncomeStream, (ulong)seq);
        var plan = PlanIncome(ref rng, org, category);
        return !plan.None && !plan.MissesLast;
    }

    public bool HasNoIncome(OrgNode org, long seq, MemberCategory category)
    {
        var rng = DemoRandom.For(_options.Seed, IncomeStream, (ulong)seq);
        return PlanIncome(ref rng, org, category).None;
    }

    private IncomePlan PlanIncome(ref DemoRandom rng, OrgNode org, MemberCategory category)
    {
        bool none = category == MemberCategory.Si && rng.Chance(100);
        bool missesLast = category == MemberCategory.Si && rng.Chance(60);
        if (category == MemberCategory.Pensioner)
        {
            // 3–15 million, most below 9 million; pensions are odd amounts, rounded here to the hundred đồng.
            long pension = rng.Chance(7500) ? rng.Between(3_000_000L, 9_000_000L) : rng.Between(9_000_000L, 15_000_000L);
            return new IncomePlan(none, missesLast, pension / 100 * 100, -1, 0, Varies: false);
        }
        (long salary, bool varies, long raised) = DrawSalary(ref rng, org);
        int raiseAt = rng.Chance(400) && _periods.Length > 1 ? rng.Between(1, _periods.Length - 1) : -1;
        if (category == MemberCategory.SiBenefit)
        {
            // Maternity pays 100% of the SI salary, sickness 75%.
            long benefit = rng.Chance(7000) ? salary : salary * 75 / 100;
            return new IncomePlan(none, missesLast, benefit, -1, 0, Varies: false);
        }
        return new IncomePlan(none, missesLast, salary, raiseAt, raised, varies);
    }

    private (long Salary, bool Varies, long Raised) DrawSalary(ref DemoRandom rng, OrgNode org)
    {
        switch (org.Profile)
        {
            case LeafProfile.CommuneOffice or LeafProfile.Agency or LeafProfile.School:
            {
                // Civil-service scale: A1 2.34 + 0.33/step, A2 4.40 + 0.34/step, A3 6.20 + 0.36/step (up to 8.00),
                // plus a position allowance for some; teachers add a seniority allowance. In hundredths of a coefficient.
                int grade = rng.PickWeighted([7000, 2000, 1000]);
                int coefficient = grade switch
                {
                    0 => 234 + (33 * rng.Between(0, 8)),
                    1 => 440 + (34 * rng.Between(0, 7)),
                    _ => 620 + (36 * rng.Between(0, 5)),
                };
                int allowance = rng.Chance(2000) ? rng.Pick([15, 20, 25, 30, 40, 50, 60, 70]) : 0;
                int seniorityPercent = org.Profile == LeafProfile.School && rng.Chance(6000) ? rng.Between(5, 30) : 0;
                long salary = (coefficient + allowance) * (BaseSalaryVnd / 100) * (100 + seniorityPercent) / 100;
                long raised = (coefficient + allowance + 33) * (BaseSalaryVnd / 100) * (100 + seniorityPercent) / 100;
                return (salary, false, raised);
            }
            case LeafProfile.Armed:
            {
                int coefficient = rng.Between(64, 160) * 5;
                int seniorityPercent = rng.Between(5, 25);
                long salary = coefficient * (BaseSalaryVnd / 100) * (100 + seniorityPercent) / 100;
                return (salary, false, salary + (BaseSalaryVnd * 30 / 100));
            }
            default:
            {
                // Enterprise wages (and villagers working in one): 5.4–30 million, to the thousand đồng,
                // above every regional minimum wage.
                long thousands = rng.Chance(7000) ? rng.Between(5_400L, 12_000L) : rng.Between(12_000L, 30_000L);
                long salary = thousands * 1_000;
                return (salary, rng.Chance(2500), salary * 105 / 100 / 1_000 * 1_000);
            }
        }
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private readonly record struct IncomePlan(bool None, bool MissesLast, long Amount, int RaiseAt, long Raised, bool Varies);
}

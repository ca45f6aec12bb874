using System.Globalization;
using Fees.Domain.Members;
using Fees.Domain.Time;

namespace Fees.Domain.Rules;

/// <summary>
/// A normal retirement age (tuổi nghỉ hưu trong điều kiện lao động bình thường) as whole years and months,
/// with the month it is reached and the first month counted as retired. Rule <see cref="RuleIds.RetirementAge"/>.
/// </summary>
/// <remarks>
/// <para>Sources: Bộ luật Lao động 2019 Điều 169 khoản 2 and Nghị định 135/2020/NĐ-CP Điều 4: from 01/01/2021 the age is
/// 60 years 3 months for men and 55 years 4 months for women, then +3 months a year for men until 62 (in 2028) and
/// +4 months a year for women until 60 (in 2035). The appendix of the decree lists it per birth month: the age that
/// applies is the one of the calendar year ("năm nghỉ hưu") in which the person reaches it.</para>
/// <para>Convention (Nghị định 135/2020/NĐ-CP Điều 3): "Thời điểm nghỉ hưu là kết thúc ngày cuối cùng của tháng đủ tuổi
/// nghỉ hưu"; "Thời điểm hưởng chế độ hưu trí là bắt đầu ngày đầu tiên của tháng liền kề sau thời điểm nghỉ hưu". A
/// person still works through the month in which the age is reached (<see cref="ReachedIn"/>) and is retired from
/// the next month (<see cref="RetiredFrom"/>, the column "thời điểm hưởng lương hưu" of the appendix). For fees the
/// member counts as "at or above retirement age" from <see cref="RetiredFrom"/>: the month the age is reached is still
/// charged at the below-age rate. When only the birth year is known the importer passes 1 January of that year,
/// as the decree says ("lấy ngày 01 tháng 01 của năm sinh").</para>
/// <para>Before 2021 (men born before 1961, women before 1966) the earlier law applied: 60 for men, 55 for women.</para>
/// </remarks>
public readonly record struct RetirementAge
{
    private RetirementAge(int totalMonths, Period reachedIn)
    {
        TotalMonths = totalMonths;
        ReachedIn = reachedIn;
    }

    /// <summary>The age in months (60 years 3 months = 723).</summary>
    public int TotalMonths { get; }

    public int Years => TotalMonths / 12;

    public int Months => TotalMonths % 12;

    /// <summary>The month in which the member reaches the age (tháng đủ tuổi nghỉ hưu); still below the age for fees.</summary>
    public Period ReachedIn { get; }

    /// <summary>The first month counted as retired: the month after <see cref="ReachedIn"/>.</summary>
    public Period RetiredFrom => ReachedIn.Next;

    /// <summary>The normal retirement age of a person born on <paramref name="birthDate"/>.</summary>
    public static RetirementAge For(DateOnly birthDate, Sex sex)
    {
        var birthMonth = Period.Containing(birthDate);
        // The age depends on the year in which it is reached, and that year depends on the age. The schedule never
        // rises by more than a few months a year, so the first year Y in which birth + age(Y) falls on or before Y
        // is the year the person reaches the age (the appendix rows follow from this).
        for (int year = birthDate.Year; ; year++)
        {
            int months = AgeInMonthsForYear(year, sex);
            var reached = birthMonth.AddMonths(months);
            if (reached.Year <= year)
            {
                return new RetirementAge(months, reached);
            }
        }
    }

    /// <summary>
    /// Whether a person counts as at or above retirement age in <paramref name="period"/>:
    /// true from <see cref="RetiredFrom"/> on (the decree's convention, see the remarks).
    /// </summary>
    public static bool ReachedBy(DateOnly birthDate, Sex sex, Period period) => period >= For(birthDate, sex).RetiredFrom;

    /// <summary>The age, in months, that applies to people who reach retirement age in <paramref name="year"/>.</summary>
    public static int AgeInMonthsForYear(int year, Sex sex) => sex switch
    {
        Sex.Male => (60 * 12) + (3 * Math.Clamp(year - 2020, 0, 8)),
        Sex.Female => (55 * 12) + (4 * Math.Clamp(year - 2020, 0, 15)),
        _ => throw new ArgumentOutOfRangeException(nameof(sex), sex, null),
    };

    /// <summary>Vietnamese form: <c>60 tuổi 3 tháng</c>, <c>62 tuổi</c>.</summary>
    public string ToDisplayString() => Months == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Years} tuổi")
        : string.Create(CultureInfo.InvariantCulture, $"{Years} tuổi {Months} tháng");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Years}y{Months}m");
}

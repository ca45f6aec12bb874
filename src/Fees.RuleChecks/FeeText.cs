using System.Globalization;
using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Rules;
using Fees.Domain.Time;

namespace Fees.RuleChecks;

/// <summary>One input of a counterexample as an auditor reads it: a Vietnamese label and the value in Vietnamese.</summary>
public sealed record CaseValue(string Label, string Value);

/// <summary>The inputs and results of a fee quote in Vietnamese, as the counterexamples show them.</summary>
public static class FeeText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly NumberFormatInfo Vietnamese = new() { NumberGroupSeparator = ".", NumberDecimalSeparator = ",", NegativeSign = "-" };

    /// <summary>Shown for an input the member's record does not have.</summary>
    public const string Missing = "(không có)";

    /// <summary>Every field of <paramref name="input"/> with its Vietnamese label; missing ones say so (missing data matters to the rules).</summary>
    public static IReadOnlyList<CaseValue> Describe(FeeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return
        [
            new("Kỳ đảng phí", Period(input.Period)),
            new("Đối tượng", input.Category.ToVietnamese()),
            new("Loại đảng viên", input.Status == MemberStatus.Official ? "Chính thức" : "Dự bị"),
            new("Tiền lương làm căn cứ đóng BHXH bắt buộc tháng trước", Amount(input.SiSalary)),
            new("Trợ cấp ốm đau, thai sản do BHXH chi trả", Amount(input.SiBenefit)),
            new("Lương hưu", Amount(input.Pension)),
            new("Vùng lương tối thiểu nơi sinh hoạt đảng", input.WageRegion is { } region ? Region(region) : Missing),
            new("Ngày sinh", Date(input.BirthDate)),
            new("Giới tính", input.Sex is { } sex ? SexText(sex) : Missing),
            new("Ngày vào Đảng", Date(input.PartyJoinedOn)),
            new("Quyết định miễn, giảm", input.Decision is { } decision ? Decision(decision) : Missing),
            new("Mức tự nguyện đóng đã được duyệt", Amount(input.VoluntaryAmount)),
        ];
    }

    /// <summary>What a quote concluded: <c>phải đóng 54.756 đ (FR-01)</c>, <c>miễn đóng, 0 đ (FR-08)</c>, <c>chờ dữ liệu, 0 đ (FR-13)</c>.</summary>
    public static string Quote(FeeQuote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        string outcome = quote.Outcome switch
        {
            FeeOutcome.Charged => "phải đóng",
            FeeOutcome.Exempt => "miễn đóng,",
            FeeOutcome.AwaitingData => "chờ dữ liệu,",
            _ => quote.Outcome.ToString(),
        };
        return $"{outcome} {quote.Amount.ToDisplayString()} ({quote.RuleId})";
    }

    /// <summary><c>tháng 8/2026</c>.</summary>
    public static string Period(Period period) => period.ToDisplayString();

    /// <summary><c>54.756 đ</c>, or <see cref="Missing"/>.</summary>
    public static string Amount(Money? amount) => amount is { } m ? m.ToDisplayString() : Missing;

    /// <summary>A whole number with Vietnamese grouping: <c>100.000</c>.</summary>
    public static string Number(long value) => value.ToString("#,0", Vietnamese);

    /// <summary>An exact amount with its fraction: <c>1,6 đ</c>, <c>54.756 đ</c>.</summary>
    public static string Exact(decimal dong) => dong.ToString("#,0.######", Vietnamese) + " đ";

    /// <summary><c>15/08/1976</c>, or <see cref="Missing"/>.</summary>
    public static string Date(DateOnly? date) => date is { } d ? d.ToString("dd/MM/yyyy", Invariant) : Missing;

    public static string Region(WageRegion region) => "Vùng " + region;

    public static string SexText(Sex sex) => sex == Sex.Male ? "Nam" : "Nữ";

    /// <summary><c>giảm 30% (khó khăn khác), tháng 8/2026 – tháng 7/2027, Chi bộ A, 01-QĐ/CB</c>.</summary>
    public static string Decision(FeeDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        string what = decision.IsFullExemption ? "miễn" : $"giảm {decision.ReductionPercent}%";
        return $"{what} ({Reason(decision.Reason)}), {Period(decision.ValidFrom)} – {Period(decision.ValidTo)}, {decision.DecidedBy}, {decision.DocumentRef}";
    }

    public static string Reason(ReliefReason reason) => reason switch
    {
        ReliefReason.PoorHousehold => "hộ nghèo",
        ReliefReason.NearPoorHousehold => "hộ cận nghèo",
        ReliefReason.GraveIllness => "bệnh hiểm nghèo",
        ReliefReason.OtherHardship => "khó khăn khác",
        _ => reason.ToString(),
    };
}

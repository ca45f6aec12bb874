using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Domain.Members;
using Fees.Domain.Amounts;
using Fees.Domain.Organizations;
using Fees.Domain.Payments;
using Fees.Domain.Time;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fees.Persistence.Configurations;

/// <summary>Money as whole đồng (bigint).</summary>
internal sealed class MoneyConverter() : ValueConverter<Money, long>(m => m.Dong, d => Money.Vnd(d));

/// <summary>A period as its first day (date), so SQL compares and indexes it as a date.</summary>
internal sealed class PeriodConverter() : ValueConverter<Period, DateOnly>(p => p.FirstDay, d => Period.Containing(d));

/// <summary>Enums are stored as the contract's lower-case codes, so SQL reads like the CSV files and the API.</summary>
internal static class EnumCodes
{
    public static ValueConverter<OrgKind, string> OrgKind { get; } = new(v => v.ToCode(), v => ParseKind(v));
    public static ValueConverter<OrgSetting, string> OrgSetting { get; } = new(v => v.ToCode(), v => ParseSetting(v));
    public static ValueConverter<MemberCategory, string> Category { get; } = new(v => v.ToCode(), v => ParseCategory(v));
    public static ValueConverter<MemberStatus, string> Status { get; } = new(v => v.ToCode(), v => ParseStatus(v));
    public static ValueConverter<Sex, string> Sex { get; } = new(v => v.ToCode(), v => ParseSex(v));
    public static ValueConverter<PlacementKind, string> Placement { get; } = new(v => v.ToCode(), v => ParsePlacement(v));
    public static ValueConverter<Role, string> Role { get; } = new(v => v.ToCode(), v => RoleCodes.Parse(v));
    public static ValueConverter<DuesStatementStatus, string> StatementStatus { get; } = new(v => v.ToCode(), v => ParseStatementStatus(v));
    public static ValueConverter<PaymentRequestStatus, string> RequestStatus { get; } = new(v => v.ToCode(), v => PaymentRequestStatusCodes.Parse(v));

    /// <summary>The periods of a payment request as a <c>date[]</c>.</summary>
    public static ValueConverter<Period[], DateOnly[]> Periods { get; } =
        new(v => v.Select(p => p.FirstDay).ToArray(), v => v.Select(Period.Containing).ToArray());

    public static ValueComparer<Period[]> PeriodsComparer { get; } =
        new((a, b) => a != null && b != null && a.SequenceEqual(b), v => v.Aggregate(0, (h, p) => HashCode.Combine(h, p)), v => v.ToArray());

    private static OrgKind ParseKind(string v) => OrgCodes.TryParseKind(v, out var k) ? k : throw new InvalidOperationException($"Unknown org kind '{v}'");
    private static OrgSetting ParseSetting(string v) => OrgCodes.TryParseSetting(v, out var s) ? s : throw new InvalidOperationException($"Unknown setting '{v}'");
    private static MemberCategory ParseCategory(string v) => MemberCodes.TryParseCategory(v, out var c) ? c : throw new InvalidOperationException($"Unknown category '{v}'");
    private static MemberStatus ParseStatus(string v) => MemberCodes.TryParseStatus(v, out var s) ? s : throw new InvalidOperationException($"Unknown status '{v}'");
    private static Sex ParseSex(string v) => MemberCodes.TryParseSex(v, out var s) ? s : throw new InvalidOperationException($"Unknown sex '{v}'");
    private static PlacementKind ParsePlacement(string v) => PlacementKindCodes.TryParse(v, out var k) ? k : throw new InvalidOperationException($"Unknown placement kind '{v}'");
    private static DuesStatementStatus ParseStatementStatus(string v) =>
        DuesStatementStatusCodes.TryParse(v, out var s) ? s : throw new InvalidOperationException($"Unknown statement status '{v}'");
}

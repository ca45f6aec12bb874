using Fees.Api.Accounts;
using Fees.Api.Members;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Fees.Api.Database;

/// <summary>Enums are stored as the contract's lower-case codes, so SQL reads like the CSV files and the API.</summary>
internal static class EnumCodes
{
    public static ValueConverter<OrgKind, string> OrgKind { get; } =
        new(v => v.ToCode(), v => ParseKind(v));
    public static ValueConverter<OrgSetting, string> OrgSetting { get; } =
        new(v => v.ToCode(), v => ParseSetting(v));
    public static ValueConverter<MemberCategory, string> Category { get; } =
        new(v => v.ToCode(), v => ParseCategory(v));
    public static ValueConverter<MemberStatus, string> Status { get; } =
        new(v => v.ToCode(), v => ParseStatus(v));
    public static ValueConverter<Sex, string> Sex { get; } =
        new(v => v.ToCode(), v => ParseSex(v));
    public static ValueConverter<PlacementKind, string> Placement { get; } =
        new(v => v == PlacementKind.Official ? "official" : "temporary", v => v == "official" ? PlacementKind.Official : PlacementKind.Temporary);
    public static ValueConverter<Role, string> Role { get; } =
        new(v => RoleCodes.ToCode(v), v => RoleCodes.Parse(v));

    private static OrgKind ParseKind(string v) => OrgCodes.TryParseKind(v, out var k) ? k : throw new InvalidOperationException($"Unknown org kind '{v}'");
    private static OrgSetting ParseSetting(string v) => OrgCodes.TryParseSetting(v, out var s) ? s : throw new InvalidOperationException($"Unknown setting '{v}'");
    private static MemberCategory ParseCategory(string v) => MemberCodes.TryParseCategory(v, out var c) ? c : throw new InvalidOperationException($"Unknown category '{v}'");
    private static MemberStatus ParseStatus(string v) => MemberCodes.TryParseStatus(v, out var s) ? s : throw new InvalidOperationException($"Unknown status '{v}'");
    private static Sex ParseSex(string v) => MemberCodes.TryParseSex(v, out var s) ? s : throw new InvalidOperationException($"Unknown sex '{v}'");
}

using System.Diagnostics.CodeAnalysis;

namespace Fees.Domain.Accounts;

/// <summary>The contract's role codes (<c>member</c>, <c>treasurer</c>, <c>office</c>, <c>auditor</c>, <c>admin</c>) and their Vietnamese names.</summary>
public static class RoleCodes
{
    public const string Member = "member";
    public const string Treasurer = "treasurer";
    public const string Office = "office";
    public const string Auditor = "auditor";
    public const string Admin = "admin";

    public static string ToCode(this Role role) => role switch
    {
        Role.Member => Member,
        Role.Treasurer => Treasurer,
        Role.Office => Office,
        Role.Auditor => Auditor,
        Role.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    /// <summary>Exactly one of the five codes; anything else (numbers, other case) is refused.</summary>
    public static bool TryParse([NotNullWhen(true)] string? code, out Role role)
    {
        (bool ok, role) = code switch
        {
            Member => (true, Role.Member),
            Treasurer => (true, Role.Treasurer),
            Office => (true, Role.Office),
            Auditor => (true, Role.Auditor),
            Admin => (true, Role.Admin),
            _ => (false, default),
        };
        return ok;
    }

    public static Role Parse(string code) => TryParse(code, out var r) ? r : throw new InvalidOperationException($"Unknown role '{code}'");

    /// <summary>Vietnamese name of a role, for pages.</summary>
    public static string ToVietnamese(this Role role) => role switch
    {
        Role.Member => "Đảng viên",
        Role.Treasurer => "Chi ủy / người thu đảng phí",
        Role.Office => "Văn phòng cấp ủy",
        Role.Auditor => "Ủy ban kiểm tra",
        Role.Admin => "Quản trị hệ thống",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };
}

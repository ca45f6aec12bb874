namespace Fees.Domain.Accounts;

/// <summary>What a signed-in person may do; the scope (an organization's subtree, or one member) says where.</summary>
public enum Role
{
    /// <summary>Đảng viên: their own records only.</summary>
    Member,
    /// <summary>Chi ủy / người thu đảng phí: collects and reconciles in their organization's subtree.</summary>
    Treasurer,
    /// <summary>Văn phòng cấp ủy: imports, generates, remits and reports in their subtree.</summary>
    Office,
    /// <summary>Ủy ban kiểm tra: reads and checks the books of their subtree; changes nothing.</summary>
    Auditor,
    /// <summary>Quản trị hệ thống: everything, everywhere.</summary>
    Admin,
}

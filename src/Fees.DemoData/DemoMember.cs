using Fees.Domain.Members;

namespace Fees.DemoData;

/// <summary>One generated member (never stored: regenerated from its seed whenever needed).</summary>
internal readonly record struct DemoMember(
    long Seq,
    string MemberNo,
    string FullName,
    MemberStatus Status,
    MemberCategory Category,
    DateOnly BirthDate,
    Sex Sex,
    DateOnly JoinedOn);

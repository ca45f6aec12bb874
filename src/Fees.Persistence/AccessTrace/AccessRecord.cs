using System.Net;

namespace Fees.Persistence.AccessTrace;

/// <summary>
/// One access the sources ask to be traced ("ghi vết truy cập"): a read of a member's personal records, an export or a
/// sign-in. Who (username and role), what (<see cref="Action"/>), on what (<see cref="Target"/>), when, from where, in
/// which request, and the HTTP status answered. Written only by <see cref="AccessTraceWriter"/>, into the append-only
/// table <c>access_trace</c>, apart from the change audit (<c>audit_log</c>).
/// </summary>
/// <param name="Username">The signed-in user; for a sign-in, the username tried (an unknown one included).</param>
/// <param name="Role">The role code (<c>member</c>, <c>treasurer</c>…); null for a sign-in as a user that does not exist.</param>
/// <param name="OrgPath">
/// The organization path the record belongs to, so auditors see only their subtree. Null: the writer finds it from the
/// target (the member's organization, the organization, the user's scope) when it writes the batch.
/// </param>
/// <param name="Status">The HTTP status answered; null when the access was not an HTTP request.</param>
public sealed record AccessRecord(
    DateTimeOffset At,
    string Username,
    string? Role,
    string Action,
    AccessTarget Target,
    string? OrgPath,
    IPAddress? ClientAddress,
    string? RequestId,
    int? Status);

/// <summary>What an access was about. Stored as a type (<c>member</c>, <c>org</c>, <c>user</c>) and a key.</summary>
public enum AccessTargetKind
{
    /// <summary>Nothing in particular (a search): the record belongs to the actor's own scope.</summary>
    None,
    /// <summary>A member, by number (số thẻ đảng viên), as the request named it.</summary>
    Member,
    /// <summary>A member by internal id: the signed-in member's own records (the number is found when written).</summary>
    MemberId,
    /// <summary>An organization, by code.</summary>
    Org,
    /// <summary>A user account, by username (sign-ins).</summary>
    User,
}

/// <summary>The target of an access: a kind and its key (a member number, an org code, a username) or a member id.</summary>
public readonly record struct AccessTarget(AccessTargetKind Kind, string? Key, long? Id)
{
    public static AccessTarget Nothing => default;

    public static AccessTarget Member(string memberNo) => new(AccessTargetKind.Member, memberNo, null);

    public static AccessTarget OwnMember(long memberId) => new(AccessTargetKind.MemberId, null, memberId);

    public static AccessTarget Org(string code) => new(AccessTargetKind.Org, code, null);

    public static AccessTarget User(string username) => new(AccessTargetKind.User, username, null);

    /// <summary>The stored <c>target_type</c>: <c>member</c>, <c>org</c>, <c>user</c>, or null.</summary>
    public string? TypeCode => Kind switch
    {
        AccessTargetKind.Member or AccessTargetKind.MemberId => AccessTargetTypes.Member,
        AccessTargetKind.Org => AccessTargetTypes.Org,
        AccessTargetKind.User => AccessTargetTypes.User,
        _ => null,
    };
}

/// <summary>The stored target types.</summary>
public static class AccessTargetTypes
{
    public const string Member = "member";
    public const string Org = "org";
    public const string User = "user";
}

/// <summary>The action codes of the access trace: <c>{what}.{verb}</c>, lower case.</summary>
public static class AccessActions
{
    /// <summary>A member's record (<c>GET /api/members/{memberNo}</c>).</summary>
    public const string MemberRead = "member.read";
    /// <summary>A list of members (search, an organization's member list).</summary>
    public const string MemberSearch = "member.search";
    /// <summary>A member's dues statements.</summary>
    public const string StatementsRead = "statements.read";
    /// <summary>A member's committee decisions (exemptions, reductions: hardship reasons).</summary>
    public const string FeeDecisionsRead = "fee_decisions.read";
    /// <summary>A member's income declarations (what they earn).</summary>
    public const string IncomeDeclarationsRead = "income_declarations.read";
    /// <summary>A member's dynamic payment code (JSON, PNG, SVG).</summary>
    public const string PaymentQrRead = "payment_qr.read";
    /// <summary>A member's static payment code (JSON, PNG, SVG, the printed sheet).</summary>
    public const string StaticQrRead = "static_qr.read";
    /// <summary>The member's own dues page (<c>/dang-phi</c>): statements and payment code.</summary>
    public const string DuesPageRead = "dues_page.read";
    /// <summary>Transfer requests (chuyển sinh hoạt đảng across subtrees): members' names and where they go.</summary>
    public const string TransferRequestsRead = "transfer_requests.read";
    /// <summary>An organization's journal exported (hledger).</summary>
    public const string JournalExport = "journal.export";
    /// <summary>A report (books S01/S02, B01, reconciliation, arrears, readiness, completion) exported or previewed.</summary>
    public const string ReportExport = "report.export";
    public const string SignInSucceeded = "sign_in.succeeded";
    public const string SignInFailed = "sign_in.failed";
}

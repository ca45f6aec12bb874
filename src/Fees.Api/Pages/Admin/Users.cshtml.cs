using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;
using Fees.Persistence.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fees.Api.Pages.Admin;

/// <summary>
/// The admin's users page (<c>/quan-tri/tai-khoan</c>): the users with their role, scope and state; create a user,
/// lock, unlock, set a new password. Every change goes through the same store as the API (<see cref="Users"/>), so the
/// same rules hold and each change is audited; every form carries the antiforgery token (Razor Pages checks it).
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class UsersModel(Users users, TimeProvider clock) : PageModel
{
    /// <summary>The roles an admin picks from, with their Vietnamese names, in the contract's order.</summary>
    public static IReadOnlyList<Role> Roles { get; } = [Role.Member, Role.Treasurer, Role.Office, Role.Auditor, Role.Admin];

    public UserPage List { get; private set; } = new(0, 1, []);
    public string? Query { get; private set; }

    /// <summary>What the last change did (after a redirect), shown once.</summary>
    [TempData]
    public string? Message { get; set; }

    /// <summary>Why the last change was refused, with the fields it names.</summary>
    public string? Error { get; private set; }
    public IReadOnlyDictionary<string, string[]> FieldErrors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>The create form's values, kept when it is refused (never the password).</summary>
    public NewUser Draft { get; private set; } = new();

    public sealed class NewUser
    {
        public string? Username { get; set; }
        public string? Role { get; set; }
        public string? OrgCode { get; set; }
        public string? MemberNo { get; set; }
        public string? Password { get; set; }
    }

    public DateTimeOffset Now => clock.GetUtcNow();

    public async Task OnGet(string? q, int? p, CancellationToken ct) => await Load(q, p, ct);

    public async Task<IActionResult> OnPostCreate(NewUser user, CancellationToken ct)
    {
        var outcome = await users.Create(user.Username, user.Password, user.Role, user.OrgCode, user.MemberNo, Me, ct);
        if (outcome.Succeeded)
        {
            return Done($"Đã tạo tài khoản {outcome.Value.Username}.");
        }
        Draft = new NewUser { Username = user.Username, Role = user.Role, OrgCode = user.OrgCode, MemberNo = user.MemberNo };
        return await Refused(outcome.Refusal, ct);
    }

    public async Task<IActionResult> OnPostLock(string username, CancellationToken ct) =>
        await After(await users.Lock(username ?? "", Me, ct), $"Đã khóa tài khoản {username}; các phiên đăng nhập của tài khoản đã kết thúc.", ct);

    public async Task<IActionResult> OnPostUnlock(string username, CancellationToken ct) =>
        await After(await users.Unlock(username ?? "", Me, ct), $"Đã mở khóa tài khoản {username}.", ct);

    public async Task<IActionResult> OnPostPassword(string username, string? password, CancellationToken ct) =>
        await After(await users.ResetPassword(username ?? "", password, Me, ct),
            $"Đã đặt mật khẩu mới cho tài khoản {username}; các phiên đăng nhập của tài khoản đã kết thúc.", ct);

    /// <summary>The state of an account in Vietnamese: an admin's lock, a running lockout (until when, Vietnam time), or active.</summary>
    public static string StateOf(UserSummary u) =>
        u.Locked ? "Bị khóa"
        : u.LockedOutUntil is { } until ? $"Tạm khóa đến {VietnamTime.ToVietnam(until):HH:mm dd/MM/yyyy} (nhập sai mật khẩu nhiều lần)"
        : "Đang hoạt động";

    /// <summary>The scope in words: the organization or the member (code and name), or everything for an admin.</summary>
    public static string ScopeOf(UserSummary u) =>
        u.OrgCode is not null ? $"{u.OrgCode} · {u.ScopeName}"
        : u.MemberNo is not null ? $"Đảng viên {u.MemberNo} · {u.ScopeName}"
        : "Toàn hệ thống";

    public static string RoleName(string code) => RoleCodes.TryParse(code, out var role) ? role.ToVietnamese() : code;

    private Actor Me => User.ToActor()!;

    private async Task<IActionResult> After(Outcome<Done> outcome, string message, CancellationToken ct) =>
        outcome.Succeeded ? Done(message) : await Refused(outcome.Refusal, ct);

    private RedirectToPageResult Done(string message)
    {
        Message = message;
        return RedirectToPage();
    }

    private async Task<IActionResult> Refused(Refusal refusal, CancellationToken ct)
    {
        Error = refusal.Title;
        FieldErrors = refusal.Errors ?? new Dictionary<string, string[]>();
        Response.StatusCode = Problems.StatusOf(refusal.Kind);
        await Load(null, null, ct);
        return Page();
    }

    private async Task Load(string? q, int? page, CancellationToken ct)
    {
        Query = q is { Length: > 0 and <= Users.MaxNameLength } ? q : null;
        int p = page is >= 1 and <= Paging.MaxPage ? page.Value : 1;
        List = await users.List(Query, p, ct);
    }
}

using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;
using Fees.Persistence;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Members;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Pages;

/// <summary>
/// The member declares their income to the cell (issue 10 item 7; 01-QĐ/TW: members report their income honestly): the
/// latest month on file and where it came from, a form to propose new figures from a month on with a note, and the
/// member's declarations with what the cell decided (the reason when it did not confirm). An open one can be withdrawn.
/// Everything goes through <see cref="IncomeDeclarations"/>, as the API does.
/// </summary>
[Authorize(Roles = RoleCodes.Member)]
[TracesAccess(AccessActions.IncomeDeclarationsRead)]
public sealed class MemberIncomeModel(FeesDbContext db, IncomeDeclarations declarations, TimeProvider clock) : PageModel
{
    public string FullName { get; private set; } = "";
    public string MemberNo { get; private set; } = "";
    public IncomeMonthView? Latest { get; private set; }
    public IReadOnlyList<IncomeDeclarationView> Declarations { get; private set; } = [];
    /// <summary>The month the form proposes by default (the current one).</summary>
    public Period DefaultFrom { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }
    /// <summary>The refused form's values, shown again.</summary>
    public IncomeDeclarationRequest? Form { get; private set; }

    public bool HasOpen => Declarations.Any(d => d.Status == IncomeDeclarationStatus.Proposed.ToCode());

    public Task<IActionResult> OnGet(CancellationToken ct) => Show(ct);

    public async Task<IActionResult> OnPostPropose(string? from, long? siSalary, long? siBenefit, long? pension, string? note, CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            // A figure that is not a whole number of đồng never reaches the service: say which one.
            Error = "Số tiền phải là số nguyên đồng, không có dấu chấm hay chữ.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await Show(ct);
        }
        var request = new IncomeDeclarationRequest(from, siSalary, siBenefit, pension, note);
        return await Act(actor => declarations.Propose(MemberNo, request, actor, ct), "Đã gửi bản kê khai thu nhập. Chi ủy sẽ xem xét và xác nhận.", request, ct);
    }

    public Task<IActionResult> OnPostWithdraw(long id, CancellationToken ct) =>
        Act(actor => declarations.Withdraw(id, actor, ct), "Đã rút lại bản kê khai thu nhập.", null, ct);

    public static string Vnd(long? dong) => dong is { } d ? Money.Vnd(d).ToDisplayString() : "—";

    public static string Month(string period) => Period.Parse(period).ToDisplayString();

    public static string StatusText(string code) => IncomeDeclarationStatusCodes.Parse(code).ToVietnamese();

    public static string SourceText(string source) => source == "import" ? "số liệu cơ quan, đơn vị cung cấp" : "theo kê khai của đảng viên, đã được chi ủy xác nhận";

    private async Task<IActionResult> Act(Func<Actor, Task<Outcome<IncomeDeclarationView>>> action, string done, IncomeDeclarationRequest? form,
        CancellationToken ct)
    {
        var me = User.ToActor()!;
        if (!await Load(me, ct))
        {
            return Forbid();
        }
        var outcome = await action(me);
        if (outcome.Succeeded)
        {
            Message = done;
        }
        else
        {
            Form = form;
            Error = outcome.Refusal.Errors is { } errors ? string.Join(" ", errors.SelectMany(e => e.Value)) : outcome.Refusal.Title;
            Response.StatusCode = Problems.StatusOf(outcome.Refusal.Kind);
        }
        return await Show(ct);
    }

    private async Task<IActionResult> Show(CancellationToken ct)
    {
        var me = User.ToActor()!;
        if (!await Load(me, ct))
        {
            return Forbid();
        }
        Latest = await declarations.LatestIncome(me.MemberId!.Value, ct);
        Declarations = await declarations.Of(me.MemberId.Value, ct);
        DefaultFrom = VietnamTime.CurrentPeriod(clock);
        return Page();
    }

    private async Task<bool> Load(Actor me, CancellationToken ct)
    {
        if (me.MemberId is not { } memberId)
        {
            return false;
        }
        var member = await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => new { m.MemberNo, m.FullName }).SingleAsync(ct);
        (MemberNo, FullName) = (member.MemberNo, member.FullName);
        return true;
    }
}

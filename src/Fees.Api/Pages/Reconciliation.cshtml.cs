using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Organizations;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;
using Fees.Persistence.Bank;
using Fees.Persistence.Queries;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fees.Api.Pages;

/// <summary>
/// The treasurer's reconciliation (đối soát): the period's receipts, what waits in suspense with suggestions and the
/// forms to allocate it, refund it or confirm it as the deposit of the treasurer's cash, cash payments, members in
/// arrears, and the bank account in the books beside what the bank reported. Staff read it; treasurers act.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class ReconciliationModel(ScopedLookup lookup, Reconciliation reconciliation, TreasurerActions actions, TimeProvider clock) : PageModel
{
    public OrgUnit Org { get; private set; } = null!;
    public ReconciliationView View { get; private set; } = null!;
    public Period Period { get; private set; }
    public bool CanAct { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    /// <summary>A fresh key for each form shown: submitting the same form twice does one thing.</summary>
    public string FormKey { get; } = Guid.NewGuid().ToString("N");

    public async Task<IActionResult> OnGet(string code, string? period, CancellationToken ct) => await Show(code, period, ct);

    public async Task<IActionResult> OnPostAllocate(string code, string? period, long receiptId, string? memberNo, string? allocationPeriod, long? amount,
        string? formKey, CancellationToken ct) =>
        await Act(code, period, ct, (actor, _) => actions.Allocate(receiptId, [new AllocationRequest(memberNo, allocationPeriod, amount)], formKey, actor, ct),
            "Đã phân bổ khoản thu.");

    public async Task<IActionResult> OnPostRefund(string code, string? period, long receiptId, long? amount, string? note, string? formKey, CancellationToken ct) =>
        await Act(code, period, ct, (actor, _) => actions.Refund(receiptId, amount, note, formKey, actor, ct), "Đã ghi nhận hoàn trả.");

    public async Task<IActionResult> OnPostDeposit(string code, string? period, long receiptId, string? formKey, CancellationToken ct) =>
        await Act(code, period, ct, (actor, _) => actions.ConfirmDeposit(receiptId, formKey, actor, ct), "Đã xác nhận tiền mặt nộp vào tài khoản.");

    public async Task<IActionResult> OnPostCash(string code, string? period, string? memberNo, long? amount, DateOnly? receivedOn, string? note, string? formKey,
        CancellationToken ct) =>
        await Act(code, period, ct, (actor, org) => actions.RecordCash(org.Id, org.Path, memberNo, amount, receivedOn, note, formKey, actor, ct),
            "Đã ghi nhận đảng phí nộp bằng tiền mặt.");

    public static string Vnd(long dong) => Money.Vnd(dong).ToDisplayString();

    private async Task<IActionResult> Act(string code, string? period, CancellationToken ct,
        Func<Actor, OrgUnit, Task<Outcome<TreasurerActions.ActionResult>>> action, string done)
    {
        var actor = User.ToActor()!;
        var org = await lookup.Org(code, actor, ct);
        if (!org.Succeeded)
        {
            return org.Refusal.Kind == RefusalKind.NotFound ? NotFound() : Forbid();
        }
        if (actor.Role is not (Role.Treasurer or Role.Admin))
        {
            return Forbid();
        }
        var outcome = await action(actor, org.Value);
        if (outcome.Succeeded)
        {
            Message = done;
        }
        else
        {
            Error = outcome.Refusal.Errors is { } errors ? string.Join(" ", errors.SelectMany(e => e.Value)) : outcome.Refusal.Title;
            Response.StatusCode = outcome.Refusal.Kind switch
            {
                RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
                RefusalKind.NotFound => StatusCodes.Status404NotFound,
                RefusalKind.Invalid => StatusCodes.Status400BadRequest,
                RefusalKind.Conflict => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status422UnprocessableEntity,
            };
        }
        return await Show(code, period, ct);
    }

    private async Task<IActionResult> Show(string code, string? period, CancellationToken ct)
    {
        var actor = User.ToActor()!;
        var org = await lookup.Org(code, actor, ct);
        if (!org.TryGet(out var o, out var refusal))
        {
            return refusal.Kind == RefusalKind.NotFound ? NotFound() : Forbid();
        }
        Org = o;
        Period = period is not null && Period.TryParse(period, out var p) ? p : VietnamTime.CurrentPeriod(clock);
        CanAct = actor.Role is Role.Treasurer or Role.Admin;
        View = await reconciliation.For(o.Id, Period, ct);
        return Page();
    }
}

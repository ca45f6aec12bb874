using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Organizations;
using Fees.Domain.Outcomes;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Members;
using Fees.Persistence.Queries;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fees.Api.Pages;

/// <summary>
/// The cell's queue of income declarations (issue 10 item 7): what each member declared, from which month, with the
/// figures on file before it, and the forms to confirm it or reject it with a reason. Staff in scope read it; the
/// treasurer, office staff and admins decide (the same checks as the API, in <see cref="IncomeDeclarations"/>).
/// </summary>
[Authorize(Policy = Policies.Staff)]
[TracesAccess(AccessActions.IncomeDeclarationsRead, AccessTargetKind.Org, "code")]
public sealed class OrgIncomeDeclarationsModel(ScopedLookup lookup, IncomeDeclarations declarations) : PageModel
{
    public OrgUnit Org { get; private set; } = null!;
    public IReadOnlyList<PendingIncomeDeclaration> Pending { get; private set; } = [];
    public bool CanAct { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public Task<IActionResult> OnGet(string code, CancellationToken ct) => Show(code, ct);

    public Task<IActionResult> OnPostConfirm(string code, long id, CancellationToken ct) =>
        Act(code, actor => declarations.Confirm(id, actor, ct), "Đã xác nhận bản kê khai số {0}: thu nhập mới được dùng để tính đảng phí từ kỳ sau.", ct);

    public Task<IActionResult> OnPostReject(string code, long id, string? reason, CancellationToken ct) =>
        Act(code, actor => declarations.Reject(id, reason, actor, ct), "Đã không xác nhận bản kê khai số {0}.", ct);

    private async Task<IActionResult> Act(string code, Func<Actor, Task<Outcome<IncomeDeclarationView>>> action, string done, CancellationToken ct)
    {
        var actor = User.ToActor()!;
        var org = await lookup.Org(code, actor, ct);
        if (!org.Succeeded)
        {
            return org.Refusal.Kind == RefusalKind.NotFound ? NotFound() : Forbid();
        }
        var outcome = await action(actor);
        if (outcome.Succeeded)
        {
            Message = string.Format(System.Globalization.CultureInfo.InvariantCulture, done, outcome.Value.Id);
        }
        else
        {
            Error = outcome.Refusal.Errors is { } errors ? string.Join(" ", errors.SelectMany(e => e.Value)) : outcome.Refusal.Title;
            Response.StatusCode = Problems.StatusOf(outcome.Refusal.Kind);
        }
        return await Show(code, ct);
    }

    private async Task<IActionResult> Show(string code, CancellationToken ct)
    {
        var actor = User.ToActor()!;
        var org = await lookup.Org(code, actor, ct);
        if (!org.TryGet(out var o, out var refusal))
        {
            return refusal.Kind == RefusalKind.NotFound ? NotFound() : Forbid();
        }
        Org = o;
        CanAct = actor.Role is Role.Treasurer or Role.Office or Role.Admin;
        Pending = await declarations.Pending(o.Path, ct);
        return Page();
    }
}

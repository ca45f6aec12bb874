using Fees.Api.Hosting;
using Fees.Api.Hosting.Demo;
using Fees.Api.Security;
using Fees.BankGateway.VietQr;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Organizations;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;
using Fees.Persistence.Closing;
using Fees.Persistence.Queries;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fees.Api.Pages;

/// <summary>
/// The close page (khóa sổ): where an organization stands for a period, each child's close with what is missing, the
/// close itself, the whole subtree's close and waivers (office), and the remittance orders with the code to pay the
/// parent. Staff read it; treasurers, office staff and admins close and move orders; only office staff and admins
/// close a whole subtree or waive a child.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class OrgCloseModel(ScopedLookup lookup, CloseQueries queries, PeriodCloses closes, RemittanceOrders orders, DemoBank demoBank, TimeProvider clock)
    : PageModel
{
    public OrgUnit Org { get; private set; } = null!;
    public Period Period { get; private set; }
    public CloseOverview Overview { get; private set; } = null!;
    public IReadOnlyList<RemittanceOrderView> Orders { get; private set; } = [];
    public bool CanClose { get; private set; }
    public bool IsOffice { get; private set; }
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGet(string code, string? period, CancellationToken ct) => await Show(code, period, ct);

    public Task<IActionResult> OnPostClose(string code, string? period, CancellationToken ct) =>
        Act(code, period, office: false, ct, async (org, p, actor) => (await closes.Close(org.Id, p, actor, ct)).Then(r => r.Remitted > 0
            ? $"Đã khóa sổ {p.ToDisplayString()}: giữ lại {Vnd(r.Retained)}, nộp cấp trên {Vnd(r.Remitted)} (mã {r.RemittanceReference})."
            : $"Đã khóa sổ {p.ToDisplayString()}: giữ lại {Vnd(r.Retained)}."));

    public Task<IActionResult> OnPostCloseSubtree(string code, string? period, CancellationToken ct) =>
        Act(code, period, office: true, ct, async (org, p, actor) =>
        {
            var r = await closes.CloseSubtree(org.Path, p, actor, ct);
            string message = $"Khóa sổ toàn bộ {p.ToDisplayString()}: {r.Closed} tổ chức vừa khóa sổ, {r.AlreadyClosed} đã khóa trước đó, {r.NotDue} chưa đến kỳ.";
            return r.Refused.Count == 0
                ? (Outcome<string>)message
                : Refusal.Rule("cascade_incomplete", message + $" Còn {r.Refused.Count} tổ chức chưa khóa được: "
                    + string.Join("; ", r.Refused.Take(10).Select(x => $"{x.OrgCode} ({x.Reason})")));
        });

    public Task<IActionResult> OnPostWaive(string code, string? period, string? child, string? reason, CancellationToken ct) =>
        Act(code, period, office: true, ct, async (_, p, actor) =>
        {
            var c = await lookup.Org(child ?? "", actor, ct);
            if (!c.TryGet(out var childOrg, out var refusal))
            {
                return refusal;
            }
            return (await closes.Waive(childOrg.Id, p, reason, actor, ct)).Then(_ => $"Đã miễn khóa sổ {p.ToDisplayString()} cho {childOrg.Name}.");
        });

    public Task<IActionResult> OnPostInstruct(string code, string? period, long orderId, CancellationToken ct) =>
        Act(code, period, office: false, ct, async (_, _, actor) =>
            (await orders.Instruct(orderId, actor, ct)).Then(o => $"Lệnh {o.Reference}: {o.StatusText}."));

    public Task<IActionResult> OnPostPaid(string code, string? period, long orderId, CancellationToken ct) =>
        Act(code, period, office: false, ct, async (_, _, actor) =>
            (await orders.MarkPaid(orderId, actor, ct)).Then(o => $"Lệnh {o.Reference}: {o.StatusText}."));

    public Task<IActionResult> OnPostCancel(string code, string? period, long orderId, string? reason, CancellationToken ct) =>
        Act(code, period, office: false, ct, async (_, _, actor) =>
            (await orders.Cancel(orderId, reason, actor, ct)).Then(o => $"Đã hủy lệnh {o.Reference}; kỳ {o.Period} được mở lại để khóa sổ lại."));

    /// <summary>The demo's simulated transfer of an order (embedded default only): the bank feeds then mark it paid and confirmed.</summary>
    public bool CanSimulate => demoBank.Enabled && CanClose;

    public Task<IActionResult> OnPostSimulate(string code, string? period, long orderId, CancellationToken ct) =>
        Act(code, period, office: false, ct, async (org, _, actor) =>
        {
            if (!demoBank.Enabled)
            {
                return Refusal.NotFound("ngân hàng giả lập");
            }
            var order = await orders.Get(orderId, actor, ct);
            if (!order.TryGet(out var o, out var refusal))
            {
                return refusal;
            }
            if (o.OrgCode != org.Code || o.AccountNumber is null || o.BankBin is null || o.Status is not ("created" or "instructed"))
            {
                return Refusal.Conflict("not_payable", "Lệnh này không còn chờ chuyển tiền hoặc cấp trên chưa có tài khoản.");
            }
            var from = org.BankBin is not null && org.BankAccount is not null ? new DemoAccount(org.BankBin, org.BankAccount, org.BankAccountName ?? org.Name) : null;
            string? sent = await demoBank.TransferRemittance(from, new DemoAccount(o.BankBin, o.AccountNumber, o.AccountName ?? o.ParentOrgName), o.Amount, o.Purpose,
                clock.GetUtcNow(), ct);
            return sent is null
                ? Refusal.Rule("demo_bank_unavailable", "Ngân hàng giả lập không phản hồi.")
                : (Outcome<string>)$"Đã giả lập chuyển {Vnd(o.Amount)} cho cấp trên; ngân hàng sẽ báo trong giây lát, tải lại trang để xem lệnh được xác nhận.";
        });

    public static string Vnd(long dong) => Money.Vnd(dong).ToDisplayString();

    /// <summary>The order's VietQR as an inline SVG (no second request, prints with the page).</summary>
    public static string QrSvg(string payload) => QrImages.Svg(payload);

    private async Task<IActionResult> Act(string code, string? period, bool office, CancellationToken ct,
        Func<OrgUnit, Period, Actor, Task<Outcome<string>>> action)
    {
        var actor = User.ToActor()!;
        var org = await lookup.Org(code, actor, ct);
        if (!org.TryGet(out var o, out var refusal))
        {
            return refusal.Kind == RefusalKind.NotFound ? NotFound() : Forbid();
        }
        if (!(office ? IsOfficeRole(actor) : CanCloseRole(actor)))
        {
            return Forbid();
        }
        if (!Period.TryParse(period, out var p))
        {
            Error = "Kỳ phải có dạng yyyy-MM.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await Show(code, null, ct);
        }
        var outcome = await action(o, p, actor);
        if (outcome.TryGet(out var message, out var refused))
        {
            Message = message;
        }
        else
        {
            Error = refused.Errors is { } errors ? string.Join(" ", errors.SelectMany(e => e.Value)) : refused.Title;
            Response.StatusCode = Problems.StatusOf(refused.Kind);
        }
        return await Show(code, period, ct);
    }

    private static bool CanCloseRole(Actor actor) => actor.Role is Role.Treasurer or Role.Office or Role.Admin;

    private static bool IsOfficeRole(Actor actor) => actor.Role is Role.Office or Role.Admin;

    private async Task<IActionResult> Show(string code, string? period, CancellationToken ct)
    {
        var actor = User.ToActor()!;
        var org = await lookup.Org(code, actor, ct);
        if (!org.TryGet(out var o, out var refusal))
        {
            return refusal.Kind == RefusalKind.NotFound ? NotFound() : Forbid();
        }
        Org = o;
        // The period a close page opens on: last month (the one to close now).
        Period = period is not null && Period.TryParse(period, out var p) ? p : VietnamTime.CurrentPeriod(clock).AddMonths(-1);
        if (Period < Period.FirstOnSystem)
        {
            Period = Period.FirstOnSystem;
        }
        CanClose = CanCloseRole(actor);
        IsOffice = IsOfficeRole(actor);
        Overview = await queries.Overview(o.Id, Period, ct);
        Orders = await orders.OfOrg(o.Id, 24, ct);
        return Page();
    }
}

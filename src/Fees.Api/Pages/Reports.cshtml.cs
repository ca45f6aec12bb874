using Fees.Api.Reports;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Organizations;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;
using Fees.Persistence;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Queries;
using Fees.Reports.Tables;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Pages;

/// <summary>
/// The office's reports (báo cáo): choose an organization in scope, a range and a report; preview it as a table and
/// download it as csv, xlsx or pdf (the same files as <c>GET /api/reports/{report}</c>); the completion dashboard of the
/// chosen organization with its chart beside. Every preview and download is traced as a report export.
/// </summary>
[Authorize(Policy = Policies.Staff)]
public sealed class ReportsModel(ReportExports exports, FeesDbContext db, IAccessRecorder access, TimeProvider clock) : PageModel
{
    /// <summary>At most this many organizations are offered in the list (the rest by typing a code).</summary>
    public const int MaxOrgChoices = 500;

    public IReadOnlyList<(string Code, string Name, int Depth)> Orgs { get; private set; } = [];
    public string Org { get; private set; } = "";
    public string Range { get; private set; } = "";
    public string Report { get; private set; } = "b01";
    public ReportDocument? Preview { get; private set; }
    public ReportDocument? Completion { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGet(string? org, string? range, string? report, CancellationToken ct)
    {
        var actor = User.ToActor()!;
        await Choices(actor, ct);
        Org = string.IsNullOrEmpty(org) ? Orgs.FirstOrDefault().Code ?? "" : org;
        Range = string.IsNullOrEmpty(range) ? DefaultRange() : range;
        Report = string.IsNullOrEmpty(report) ? "b01" : report;
        var request = await exports.Check(Report, Org, Range, null, formatRequired: false, actor, ct);
        if (!request.TryGet(out var checkedRequest, out var refusal))
        {
            return Refused(refusal);
        }
        await access.Record(AccessActions.ReportExport, AccessTarget.Org(checkedRequest.Org.Code));
        Preview = await exports.Document(checkedRequest, ct);
        Completion = Report == "completion" ? Preview : await exports.Document(checkedRequest with { Report = "completion" }, ct);
        return Page();
    }

    /// <summary>The report as a file, the same bytes the API sends.</summary>
    public async Task<IActionResult> OnGetDownload(string? org, string? range, string? report, string? format, CancellationToken ct)
    {
        var actor = User.ToActor()!;
        var request = await exports.Check(report, org, range, format, formatRequired: true, actor, ct);
        if (!request.TryGet(out var checkedRequest, out var refusal))
        {
            await Choices(actor, ct);
            (Org, Range, Report) = (org ?? "", range ?? "", report ?? "");
            return Refused(refusal);
        }
        await access.Record(AccessActions.ReportExport, AccessTarget.Org(checkedRequest.Org.Code));
        var file = ReportExports.Write(await exports.Document(checkedRequest, ct), checkedRequest.Range.Text, format!);
        Response.Headers.ContentDisposition = ReportExports.ContentDisposition(file);
        return File(file.Content, file.ContentType);
    }

    /// <summary>The completion chart as a PNG image.</summary>
    public async Task<IActionResult> OnGetChart(string? org, string? range, CancellationToken ct)
    {
        var actor = User.ToActor()!;
        var request = await exports.Check("completion", org, range, null, formatRequired: false, actor, ct);
        if (!request.TryGet(out var checkedRequest, out var refusal))
        {
            return StatusCode(Hosting.Problems.StatusOf(refusal.Kind));
        }
        var doc = await exports.Document(checkedRequest, ct);
        return File(CompletionChart.Png(doc.Chart!, 900, 380), "image/png");
    }

    public static string Cell(ReportCell cell, ColumnKind kind) => ReportFormat.Display(cell, kind);

    public string Link(string handler, string? format = null, string? report = null) =>
        $"/bao-cao?handler={handler}&org={Uri.EscapeDataString(Org)}&range={Uri.EscapeDataString(Range)}&report={Uri.EscapeDataString(report ?? Report)}" +
        (format is null ? "" : "&format=" + format);

    private IActionResult Refused(Refusal refusal)
    {
        if (refusal.Kind == RefusalKind.Forbidden)
        {
            return Forbid();
        }
        Error = refusal.Errors is { } errors ? string.Join(" ", errors.SelectMany(e => e.Value)) : refusal.Title;
        Response.StatusCode = Hosting.Problems.StatusOf(refusal.Kind);
        return Page();
    }

    /// <summary>The quarter of the current month: the office's usual report (B01/ĐP is quarterly).</summary>
    private string DefaultRange()
    {
        var now = VietnamTime.CurrentPeriod(clock);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{now.Year:D4}-Q{((now.Month - 1) / 3) + 1}");
    }

    private async Task Choices(Actor actor, CancellationToken ct)
    {
        var orgs = await db.Orgs.AsNoTracking().Visible(actor).OrderBy(o => o.Path).Take(MaxOrgChoices)
            .Select(o => new { o.Code, o.Name, o.Path, o.Id, o.Kind }).ToListAsync(ct);
        if (actor.Role == Role.Treasurer)
        {
            orgs = orgs.Where(o => o.Id == actor.OrgId).ToList();
        }
        int top = orgs.Count == 0 ? 0 : orgs.Min(o => o.Path.Count(c => c == '/'));
        Orgs = orgs.Where(o => o.Kind != OrgKind.Cell || orgs.Count <= 200 || actor.Role == Role.Treasurer)
            .Select(o => (o.Code, o.Name, o.Path.Count(c => c == '/') - top)).ToList();
    }
}

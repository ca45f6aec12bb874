using System.Globalization;
using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Organizations;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Queries;
using Fees.Persistence.Reports;
using Fees.Reports.ReportRanges;
using Fees.Reports.Tables;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fees.Api.Reports;

/// <summary>A report asked for, checked: which, for whom, which months.</summary>
public sealed record ReportRequest(string Report, OrgUnit Org, ReportRange Range);

/// <summary>A report written in one format, ready to send.</summary>
public sealed record ReportFile(byte[] Content, string ContentType, string FileName, string DisplayFileName);

/// <summary>
/// What the report endpoint and the office page share: the names of the reports and formats, the checks of a request
/// (each bad field named, the organization in scope, a treasurer only for their own organization) and the writing.
/// </summary>
public sealed class ReportExports(ScopedLookup lookup, ReportQueries queries, TimeProvider clock)
{
    /// <summary>The contract's reports, then the completion dashboard.</summary>
    public static IReadOnlyList<string> Reports { get; } = ["s01", "s02", "b01", "reconciliation", "arrears", "readiness", "completion"];

    public static IReadOnlyList<string> Formats { get; } = ["csv", "xlsx", "pdf"];

    /// <summary>Vietnamese names for the page.</summary>
    public static string NameOf(string report) => report switch
    {
        "s01" => "Sổ thu, nộp đảng phí (S01/ĐP)",
        "s02" => "Sổ tổng hợp thu, nộp đảng phí (S02/ĐP)",
        "b01" => "Báo cáo thu nộp đảng phí (B01/ĐP)",
        "reconciliation" => "Đối chiếu thu đảng phí",
        "arrears" => "Đảng viên chưa đóng từ 3 tháng trong năm",
        "readiness" => "Mức độ sẵn sàng",
        "completion" => "Tiến độ đóng đảng phí",
        _ => report,
    };

    /// <summary>
    /// The request checked: 400 naming each bad field (report, range, format when asked, org), 404 for an unknown
    /// organization, 403 outside the actor's scope or, for a treasurer, any organization but their own.
    /// </summary>
    public async Task<Outcome<ReportRequest>> Check(string? report, string? org, string? range, string? format, bool formatRequired, Actor actor,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new Dictionary<string, string[]>();
        if (report is null || !Reports.Contains(report))
        {
            errors["report"] = ["Báo cáo phải là một trong: " + string.Join(", ", Reports) + "."];
        }
        if ((formatRequired || format is not null) && (format is null || !Formats.Contains(format)))
        {
            errors["format"] = ["Định dạng phải là csv, xlsx hoặc pdf."];
        }
        ReportRange? parsed = null;
        if (!ReportRange.TryParse(range, out var r, out string rangeError))
        {
            errors["range"] = [rangeError];
        }
        else if (r.From > VietnamTime.CurrentPeriod(clock))
        {
            errors["range"] = ["Khoảng thời gian chưa bắt đầu: chưa có số liệu."];
        }
        else
        {
            parsed = r;
        }
        string? orgCode = org;
        if (string.IsNullOrEmpty(orgCode))
        {
            errors["org"] = ["Chọn tổ chức đảng (org=mã đơn vị)."];
        }
        else if (orgCode is { Length: > 30 })
        {
            errors["org"] = ["Mã đơn vị dài tối đa 30 ký tự."];
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        var found = await lookup.Org(orgCode!, actor, ct);
        if (!found.TryGet(out var unit, out var refusal))
        {
            return refusal;
        }
        // A treasurer keeps the books of one organization: its reports, not those of the cells below.
        if (actor.Role == Role.Treasurer && unit.Id != actor.OrgId)
        {
            return Refusal.Forbidden;
        }
        return new ReportRequest(report!, unit, parsed!);
    }

    public Task<ReportDocument> Document(ReportRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return queries.Build(request.Report, request.Org, request.Range, ct);
    }

    public static ReportFile Write(ReportDocument doc, string range, string format)
    {
        ArgumentNullException.ThrowIfNull(doc);
        return format switch
        {
            "csv" => new ReportFile(ReportCsv.Write(doc), ReportCsv.ContentType, doc.FileName(range, "csv"), doc.DisplayFileName(range, "csv")),
            "xlsx" => new ReportFile(ReportXlsx.Write(doc), ReportXlsx.ContentType, doc.FileName(range, "xlsx"), doc.DisplayFileName(range, "xlsx")),
            "pdf" => new ReportFile(ReportPdf.Write(doc), ReportPdf.ContentType, doc.FileName(range, "pdf"), doc.DisplayFileName(range, "pdf")),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    /// <summary>An ASCII <c>filename</c> for every client, the Vietnamese name as <c>filename*</c> (RFC 6266).</summary>
    public static string ContentDisposition(ReportFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return string.Create(CultureInfo.InvariantCulture, $"attachment; filename=\"{file.FileName}\"; filename*=UTF-8''{Uri.EscapeDataString(file.DisplayFileName)}");
    }
}

public static class ReportEndpoints
{
    public static void MapReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reports/{report}", Export).RequireAuthorization(Policies.Staff).ProducesProblems(400, 403, 404)
            .WithMetadata(new ProducesResponseTypeMetadata(200, typeof(byte[]), [ReportCsv.ContentType, ReportXlsx.ContentType, ReportPdf.ContentType]));
    }

    /// <summary>
    /// One report of an organization's subtree over a range, as a file: <c>report</c> s01, s02, b01, reconciliation,
    /// arrears, readiness (or completion); <c>range</c> yyyy-MM, yyyy-Qn, yyyy-Hn or yyyy; <c>format</c> csv, xlsx or pdf.
    /// </summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(string report, string? org, string? range, string? format,
        Actor actor, ReportExports exports, IAccessRecorder access, HttpContext http, CancellationToken ct)
    {
        var checkedRequest = await exports.Check(report, org, range, format, formatRequired: true, actor, ct);
        if (!checkedRequest.TryGet(out var request, out var refusal))
        {
            return Problems.From(refusal);
        }
        await access.Record(AccessActions.ReportExport, AccessTarget.Org(request.Org.Code));
        var doc = await exports.Document(request, ct);
        var file = ReportExports.Write(doc, request.Range.Text, format!);
        http.Response.Headers.ContentDisposition = ReportExports.ContentDisposition(file);
        return TypedResults.File(file.Content, file.ContentType);
    }
}

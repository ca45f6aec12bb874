using Fees.Api.Imports;
using Fees.Api.Security;
using Fees.Persistence.Imports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fees.Api.Pages;

/// <summary>
/// Office staff upload the three contract CSV files and see each bad row explained in Vietnamese. Without JavaScript the
/// form posts and the page answers with the result. With it (<c>wwwroot/js/import.js</c>) the same form is sent by
/// XMLHttpRequest with a <c>runId</c> the browser chose, the upload's bytes drive a progress bar, then the run's record
/// (<see cref="OnGetRun"/>, read from the database so any instance answers) until the page's answer arrives.
/// </summary>
[Authorize(Policy = Policies.Importers)]
[RequestSizeLimit(1L << 30)]
[RequestFormLimits(MultipartBodyLengthLimit = 1L << 30)]
public sealed class ImportModel(ImportService imports, ImportRuns runs) : PageModel
{
    public sealed record KindInfo(string Code, ImportKind Kind, string Title, string Header);

    public static readonly IReadOnlyList<KindInfo> Kinds =
    [
        new("orgs", ImportKind.Orgs, "Tổ chức đảng", string.Join(',', OrgImport.Columns)),
        new("members", ImportKind.Members, "Đảng viên", string.Join(',', MemberImport.Columns)),
        new("income", ImportKind.Income, "Tiền lương làm căn cứ đóng BHXH, trợ cấp, lương hưu", string.Join(',', IncomeImport.Columns)),
    ];

    private const int ShownErrors = 500;

    public ImportResult? Result { get; private set; }
    public IReadOnlyList<RowError> Errors { get; private set; } = [];
    public int ErrorCount { get; private set; }
    public string? FileName { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPost(string? kind, IFormFile? file, string? runId, CancellationToken ct)
    {
        var info = Kinds.FirstOrDefault(k => k.Code == kind);
        if (info is null || file is null || file.Length == 0)
        {
            return Refused(StatusCodes.Status400BadRequest, new RowError(0, "file", null, "Chưa chọn tệp hoặc loại dữ liệu."));
        }
        FileName = file.FileName;
        if (!ImportEndpoints.TryReadRunId(runId, out var id))
        {
            return Refused(StatusCodes.Status400BadRequest, new RowError(0, "runId", null, ImportEndpoints.BadRunId));
        }
        await using var stream = file.OpenReadStream();
        var outcome = await ImportEndpoints.Recorded(imports, runs, info.Kind, stream, User.ToActor()!, id, ct);
        if (outcome is null)
        {
            return Refused(StatusCodes.Status409Conflict, new RowError(0, "runId", null, "Lượt nhập này đã được gửi; tệp không được nhập lại. Hãy tải lại trang rồi nhập lại nếu cần."));
        }
        if (outcome.Succeeded)
        {
            Result = outcome.Result;
        }
        else
        {
            ErrorCount = outcome.Errors.Count;
            Errors = outcome.Errors.Take(ShownErrors).ToList();
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    /// <summary>
    /// GET <c>?handler=Run&amp;id=…</c>: the progress of a run the signed-in user started (JSON, as
    /// <c>GET /api/import/runs/{id}</c> answers it); 404 for anyone else's and for an unknown id, 400 for an id that is
    /// not a uuid. Reads only.
    /// </summary>
    public async Task<IActionResult> OnGetRun(string? id, CancellationToken ct)
    {
        Response.Headers.CacheControl = "private, no-store";
        if (!ImportEndpoints.TryParseRunId(id, out var runId))
        {
            return BadRequest(new ValidationProblemDetails(new Dictionary<string, string[]> { ["id"] = [ImportEndpoints.BadRunId] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Dữ liệu không hợp lệ.",
            });
        }
        var actor = User.ToActor()!;
        // Only one's own runs here (the page is the importers'): auditors read others' through the API.
        return await runs.Find(runId, actor, ct) is { } run && run.StartedBy == actor.Username ? new JsonResult(run) : NotFound();
    }

    private PageResult Refused(int status, RowError error)
    {
        Errors = [error];
        ErrorCount = 1;
        Response.StatusCode = status;
        return Page();
    }
}

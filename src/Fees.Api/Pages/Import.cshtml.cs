using Fees.Api.Security;
using Fees.Persistence.Imports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fees.Api.Pages;

/// <summary>Office staff upload the three contract CSV files and see each bad row explained in Vietnamese.</summary>
[Authorize(Policy = Policies.Importers)]
[RequestSizeLimit(1L << 30)]
[RequestFormLimits(MultipartBodyLengthLimit = 1L << 30)]
public sealed class ImportModel(ImportService imports) : PageModel
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

    public async Task<IActionResult> OnPost(string? kind, IFormFile? file, CancellationToken ct)
    {
        var info = Kinds.FirstOrDefault(k => k.Code == kind);
        if (info is null || file is null || file.Length == 0)
        {
            Errors = [new RowError(0, "file", null, "Chưa chọn tệp hoặc loại dữ liệu.")];
            ErrorCount = 1;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        FileName = file.FileName;
        await using var stream = file.OpenReadStream();
        var outcome = await imports.Import(info.Kind, stream, User.ToActor()!, ct);
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
}

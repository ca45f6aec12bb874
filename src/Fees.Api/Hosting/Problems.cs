namespace Fees.Api.Hosting;

/// <summary>
/// RFC 9457 problem details with a stable <c>type</c> and <c>code</c> and a Vietnamese <c>title</c>
/// (what a person reads); <c>errors</c> names each bad field or CSV row and column.
/// </summary>
public static class Problems
{
    private const string TypeBase = "https://partytthc.vn/problems/";

    public static IResult Of(int status, string code, string title, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var ext = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return Results.Problem(statusCode: status, title: title, detail: detail, type: TypeBase + code, extensions: ext);
    }

    public static IResult Validation(IDictionary<string, string[]> errors, string title = "Dữ liệu không hợp lệ.", string code = "validation_failed", IDictionary<string, object?>? extensions = null)
    {
        var ext = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return Results.ValidationProblem(errors, title: title, type: TypeBase + code, extensions: ext);
    }

    public static IResult Field(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult NotFound(string what) => Of(404, "not_found", $"Không tìm thấy {what}.");

    public static IResult Forbidden() => Of(403, "forbidden", "Bạn không có quyền thực hiện thao tác này.");

    public static IResult Conflict(string code, string title) => Of(409, code, title);
}

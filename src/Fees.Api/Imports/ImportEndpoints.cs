using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Persistence.Imports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fees.Api.Imports;

public static class ImportEndpoints
{
    /// <summary>At most this many row errors are listed in one answer; <c>errorCount</c> always gives the total.</summary>
    public const int MaxListedErrors = 5000;

    public static void MapImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/import").RequireAuthorization(Policies.Importers).ProducesProblems(400);
        group.MapPost("/orgs", (HttpContext ctx, Actor actor, ImportService imports, CancellationToken ct) => Run(ImportKind.Orgs, ctx, actor, imports, ct)).Accepts<string>("text/csv");
        group.MapPost("/members", (HttpContext ctx, Actor actor, ImportService imports, CancellationToken ct) => Run(ImportKind.Members, ctx, actor, imports, ct)).Accepts<string>("text/csv");
        group.MapPost("/income", (HttpContext ctx, Actor actor, ImportService imports, CancellationToken ct) => Run(ImportKind.Income, ctx, actor, imports, ct)).Accepts<string>("text/csv");
    }

    private static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> Run(ImportKind kind, HttpContext http, Actor actor, ImportService imports, CancellationToken ct)
    {
        var outcome = await imports.Import(kind, http.Request.Body, actor, ct);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Result) : Rejected(outcome.Errors);
    }

    /// <summary>
    /// 400 problem details: <c>errors</c> keyed <c>"line 12: birth_date"</c> (readable, one key per bad cell) and
    /// <c>rowErrors</c> with the same facts as fields (line, column, value, message) for programs.
    /// </summary>
    public static ProblemHttpResult Rejected(IReadOnlyList<RowError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var listed = errors.Take(MaxListedErrors).ToList();
        var byCell = listed
            .GroupBy(e => $"line {e.Line}: {e.Column}")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        return Problems.Validation(byCell,
            title: $"Tệp có {errors.Count} lỗi; chưa có dòng nào được nhập.",
            code: "import_rejected",
            extensions: new Dictionary<string, object?>
            {
                ["errorCount"] = errors.Count,
                ["rowErrors"] = listed.Select(e => new { line = e.Line, column = e.Column, value = Problems.Echo(e.Value), message = e.Message }),
            });
    }
}

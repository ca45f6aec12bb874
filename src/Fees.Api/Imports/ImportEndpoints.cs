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

    /// <summary>The response header naming the run an import was recorded under (the client's id, or the server's).</summary>
    public const string RunHeader = "Import-Run-Id";

    public static void MapImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/import").RequireAuthorization(Policies.Importers).ProducesProblems(400, 409);
        group.MapPost("/orgs", (HttpContext ctx, Actor actor, ImportService imports, ImportRuns runs, CancellationToken ct) => Run(ImportKind.Orgs, ctx, actor, imports, runs, ct)).Accepts<string>("text/csv");
        group.MapPost("/members", (HttpContext ctx, Actor actor, ImportService imports, ImportRuns runs, CancellationToken ct) => Run(ImportKind.Members, ctx, actor, imports, runs, ct)).Accepts<string>("text/csv");
        group.MapPost("/income", (HttpContext ctx, Actor actor, ImportService imports, ImportRuns runs, CancellationToken ct) => Run(ImportKind.Income, ctx, actor, imports, runs, ct)).Accepts<string>("text/csv");

        // Outside the group: auditors read runs too, and may not import.
        app.MapGet("/api/import/runs/{id}", ReadRun).RequireAuthorization(Policies.ImportRunReaders).ProducesProblems(400, 404);
    }

    /// <summary>
    /// An import, recorded as a run (<see cref="ImportRuns"/>) under the optional <c>runId</c> query parameter (a uuid
    /// the client chose, so it can read the progress while it waits) or an id of the server's; either is answered in
    /// the <see cref="RunHeader"/> header. A run id already used is refused with 409 and nothing is imported.
    /// </summary>
    private static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> Run(ImportKind kind, HttpContext http, Actor actor, ImportService imports, ImportRuns runs, CancellationToken ct)
    {
        if (!TryReadRunId(http.Request.Query["runId"], out var runId))
        {
            return Problems.Field("runId", BadRunId);
        }
        http.Response.Headers[RunHeader] = runId.ToString();
        var outcome = await Recorded(imports, runs, kind, http.Request.Body, actor, runId, ct);
        return outcome is null ? DuplicateRun() : outcome.Succeeded ? TypedResults.Ok(outcome.Result) : Rejected(outcome.Errors);
    }

    /// <summary>GET /api/import/runs/{id}: the run's progress, for the user who started it or an auditor over their scope; 404 otherwise.</summary>
    private static async Task<Results<Ok<ImportRunView>, ProblemHttpResult>> ReadRun(string id, HttpContext http, Actor actor, ImportRuns runs, CancellationToken ct)
    {
        if (!TryParseRunId(id, out var runId))
        {
            return Problems.Field("id", BadRunId);
        }
        http.Response.Headers.CacheControl = "private, no-store";
        return await runs.Find(runId, actor, ct) is { } run ? TypedResults.Ok(run) : Problems.NotFound("lượt nhập này");
    }

    public const string BadRunId = "Mã lượt nhập phải là một UUID (ví dụ 0f8fad5b-d9cb-469f-a165-70867728950e).";

    /// <summary>The longest run id read (a uuid is 36 characters; braces or an urn prefix add a few).</summary>
    public const int MaxRunIdLength = 64;

    /// <summary>An absent or empty run id gives a new one of the server's; anything else must be a uuid.</summary>
    public static bool TryReadRunId(string? value, out Guid id)
    {
        if (string.IsNullOrEmpty(value))
        {
            id = Guid.CreateVersion7();
            return true;
        }
        return TryParseRunId(value, out id);
    }

    public static bool TryParseRunId(string? value, out Guid id)
    {
        id = Guid.Empty;
        return value is { Length: > 0 and <= MaxRunIdLength } && Guid.TryParse(value, out id) && id != Guid.Empty;
    }

    /// <summary>Runs the import as a recorded run; null when the run id was already used (then nothing is imported).</summary>
    public static async Task<ImportOutcome?> Recorded(ImportService imports, ImportRuns runs, ImportKind kind, Stream csv, Actor actor, Guid runId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(imports);
        ArgumentNullException.ThrowIfNull(runs);
        await using var run = await runs.Start(runId, kind, actor, ct);
        if (run is null)
        {
            return null;
        }
        var outcome = await imports.Import(kind, csv, actor, run, ct);
        await run.Finish(outcome);
        return outcome; // an exception leaves the run unfinished: disposing it records the failure
    }

    public static ProblemHttpResult DuplicateRun() =>
        Problems.From(Fees.Domain.Outcomes.Refusal.Conflict("import_run_exists", "Lượt nhập với mã này đã được gửi; tệp không được nhập lại. Hãy tải lại trang rồi nhập lại nếu cần."));

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

using Fees.Domain.Outcomes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fees.Api.Hosting;

/// <summary>
/// RFC 9457 problem details with a stable <c>type</c> and <c>code</c> and a Vietnamese <c>title</c>
/// (what a person reads); <c>errors</c> names each bad field or CSV row and column. Every refusal the domain or a
/// store gives becomes one of these through <see cref="From"/>; the status follows the refusal's kind.
/// </summary>
public static class Problems
{
    public const string TypeBase = "https://partytthc.vn/problems/";

    /// <summary>The largest value echoed back from a request; longer ones are cut (never megabytes of input).</summary>
    public const int MaxEchoLength = 200;

    public static ProblemHttpResult Of(int status, string code, string title, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail, Type = TypeBase + code };
        Extend(problem, code, extensions);
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string title = "Dữ liệu không hợp lệ.", string code = Refusal.ValidationFailed,
        IDictionary<string, object?>? extensions = null)
    {
        var problem = new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Title = title, Type = TypeBase + code };
        Extend(problem, code, extensions);
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Field(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult NotFound(string what) => From(Refusal.NotFound(what));

    public static ProblemHttpResult Forbidden() => From(Refusal.Forbidden);

    /// <summary>A refusal as problem details; a <c>retryAfterSeconds</c> detail also sets the <c>Retry-After</c> header.</summary>
    public static ProblemHttpResult From(Refusal refusal, HttpContext? http = null)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var extensions = refusal.Details?.ToDictionary(d => d.Key, d => d.Value);
        if (http is not null && refusal.Details?.TryGetValue("retryAfterSeconds", out object? seconds) == true && seconds is int s)
        {
            http.Response.Headers.RetryAfter = s.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (refusal.Errors is not null)
        {
            return Validation(refusal.Errors.ToDictionary(e => e.Key, e => e.Value), refusal.Title, refusal.Code, extensions);
        }
        return Of(StatusOf(refusal.Kind), refusal.Code, refusal.Title, extensions: extensions);
    }

    public static int StatusOf(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid => StatusCodes.Status400BadRequest,
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
        RefusalKind.Conflict => StatusCodes.Status409Conflict,
        RefusalKind.RuleViolation => StatusCodes.Status422UnprocessableEntity,
        RefusalKind.TooManyAttempts => StatusCodes.Status429TooManyRequests,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A value from the request, cut to <see cref="MaxEchoLength"/> characters, for messages that quote it.</summary>
    public static string Echo(string? value) =>
        value is null ? "" : value.Length <= MaxEchoLength ? value : string.Concat(value.AsSpan(0, MaxEchoLength), "…");

    private static void Extend(Microsoft.AspNetCore.Mvc.ProblemDetails problem, string code, IDictionary<string, object?>? extensions)
    {
        problem.Extensions["code"] = code;
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                problem.Extensions[key] = value;
            }
        }
    }
}

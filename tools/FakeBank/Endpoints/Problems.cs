namespace FakeBank.Endpoints;

/// <summary>RFC 9457 problem details with a stable <c>code</c>, like the service's own errors.</summary>
internal static class Problems
{
    public static IResult BadRequest(string code, string detail) => Problem(StatusCodes.Status400BadRequest, "Bad request", code, detail);

    public static IResult NotFound(string code, string detail) => Problem(StatusCodes.Status404NotFound, "Not found", code, detail);

    public static IResult Problem(int status, string title, string code, string detail) =>
        Results.Problem(
            statusCode: status,
            title: title,
            detail: detail,
            type: "https://fakebank.invalid/problems/" + code,
            extensions: new Dictionary<string, object?> { ["code"] = code });
}

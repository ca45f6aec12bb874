namespace Fees.Domain.Outcomes;

/// <summary>Why an expected refusal happened, in the words HTTP later uses for its status code.</summary>
public enum RefusalKind
{
    /// <summary>The input is malformed or out of bounds (400); <see cref="Refusal.Errors"/> names each bad field.</summary>
    Invalid,
    /// <summary>The thing asked for does not exist (404).</summary>
    NotFound,
    /// <summary>It exists, but is outside the caller's role or scope (403).</summary>
    Forbidden,
    /// <summary>The request is well formed but conflicts with the current state (409), e.g. a duplicate or a move already there.</summary>
    Conflict,
    /// <summary>The request is well formed but a rule forbids it (422), e.g. a period before the system's first.</summary>
    RuleViolation,
    /// <summary>Too many attempts; try again later (429).</summary>
    TooManyAttempts,
}

/// <summary>
/// An expected "no" from the domain: a stable <see cref="Code"/> (<c>before_system_start</c>), a Vietnamese
/// <see cref="Title"/> a person reads, optionally the bad fields (<see cref="Errors"/>, field → messages) and details
/// for programs. Bugs are exceptions, never refusals.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Code, string Title, IReadOnlyDictionary<string, string[]>? Errors = null,
    IReadOnlyDictionary<string, object?>? Details = null)
{
    public const string ValidationFailed = "validation_failed";

    /// <summary>One bad field.</summary>
    public static Refusal Field(string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Several bad fields, each with its messages.</summary>
    public static Refusal Invalid(IReadOnlyDictionary<string, string[]> errors, string title = "Dữ liệu không hợp lệ.", string code = ValidationFailed) =>
        new(RefusalKind.Invalid, code, title, errors);

    /// <summary><paramref name="what"/> in Vietnamese, e.g. "đảng viên": "Không tìm thấy đảng viên."</summary>
    public static Refusal NotFound(string what) => new(RefusalKind.NotFound, "not_found", $"Không tìm thấy {what}.");

    public static Refusal Forbidden { get; } = new(RefusalKind.Forbidden, "forbidden", "Bạn không có quyền thực hiện thao tác này.");

    public static Refusal Conflict(string code, string title, IReadOnlyDictionary<string, object?>? details = null) =>
        new(RefusalKind.Conflict, code, title, Details: details);

    public static Refusal Rule(string code, string title) => new(RefusalKind.RuleViolation, code, title);
}

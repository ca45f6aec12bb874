using Microsoft.AspNetCore.Diagnostics;

namespace Fees.Api.Hosting;

/// <summary>Every unhandled error becomes problem details; the cause goes to the log, never to the caller.</summary>
internal sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        (int status, string code, string title) = exception switch
        {
            BadHttpRequestException => (400, "bad_request", "Yêu cầu không đúng định dạng."),
            System.Text.Json.JsonException => (400, "bad_request", "Nội dung JSON không hợp lệ."),
            OperationCanceledException => (499, "cancelled", "Yêu cầu đã bị hủy."),
            // The database is restarting or unreachable: nothing was done; the caller (a bank's retry, a person) tries again.
            Npgsql.NpgsqlException { IsTransient: true } or TimeoutException => (503, "temporarily_unavailable",
                "Hệ thống tạm thời không kết nối được cơ sở dữ liệu; thao tác chưa được thực hiện. Vui lòng thử lại sau ít giây."),
            _ => (500, "internal_error", "Lỗi hệ thống. Thao tác chưa được thực hiện; vui lòng thử lại hoặc báo quản trị."),
        };
        if (status == 500)
        {
            logger.LogError(exception, "Unhandled error on {RequestPath} ({RequestId})", httpContext.Request.Path, httpContext.TraceIdentifier);
        }
        httpContext.Response.StatusCode = status;
        if (status == 503)
        {
            logger.LogWarning(exception, "Database unavailable on {RequestPath} ({RequestId})", httpContext.Request.Path, httpContext.TraceIdentifier);
            httpContext.Response.Headers.RetryAfter = "5";
        }
        await Problems.Of(status, code, title, extensions: new Dictionary<string, object?> { ["requestId"] = httpContext.TraceIdentifier })
            .ExecuteAsync(httpContext);
        return true;
    }
}

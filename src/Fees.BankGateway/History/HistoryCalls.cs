using System.Globalization;
using System.Net;
using Polly;
using Refit;

namespace Fees.BankGateway.History;

/// <summary>Turns a Refit call's outcome into content or a <see cref="HistoryFailure"/>; exceptions become values here.</summary>
internal static class HistoryCalls
{
    public static async Task<(T? Content, HistoryFailure? Failure)> SendAsync<T>(Func<Task<IApiResponse<T>>> call, CancellationToken cancellationToken)
        where T : class
    {
        IApiResponse<T> response;
        try
        {
            response = await call();
        }
        // Transport failures that escape Refit (the resilience pipeline's timeouts and open circuit, HttpClient's own
        // timeout) are outcomes, not bugs. Only the type is reported: messages can carry the URL and its query.
        catch (Exception e) when (e is HttpRequestException or ExecutionRejectedException or ApiRequestException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return (null, HistoryFailure.Of(HistoryFailureKind.Unreachable, $"No response: {e.GetType().Name}."));
        }
        using (response)
        {
            if (response.HasRequestError(out var requestError))
            {
                return (null, HistoryFailure.Of(HistoryFailureKind.Unreachable, $"No response: {requestError.InnerException?.GetType().Name ?? requestError.GetType().Name}."));
            }
            if (response.StatusCode is not { } code)
            {
                return (null, HistoryFailure.Of(HistoryFailureKind.Unreachable, "No response status."));
            }
            int status = (int)code;
            if (!response.IsSuccessStatusCode)
            {
                var kind = code switch
                {
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => HistoryFailureKind.Unauthorized,
                    HttpStatusCode.TooManyRequests => HistoryFailureKind.RateLimited,
                    HttpStatusCode.RequestTimeout => HistoryFailureKind.ProviderUnavailable,
                    _ when status >= 500 => HistoryFailureKind.ProviderUnavailable,
                    _ => HistoryFailureKind.Rejected,
                };
                return (null, HistoryFailure.Of(kind, string.Create(CultureInfo.InvariantCulture, $"HTTP {status} from the provider."), status));
            }
            if (!response.IsSuccessful || response.Content is null)
            {
                return (null, HistoryFailure.Of(HistoryFailureKind.MalformedResponse,
                    string.Create(CultureInfo.InvariantCulture, $"HTTP {status} with a body that is not the documented JSON shape."), status));
            }
            return (response.Content, null);
        }
    }
}

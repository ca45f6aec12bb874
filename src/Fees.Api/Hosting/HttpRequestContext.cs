using Fees.Persistence.Auditing;

namespace Fees.Api.Hosting;

/// <summary>The current HTTP request, for the records it leaves (audit, access trace): its id and the client's address.</summary>
internal sealed class HttpRequestContext(IHttpContextAccessor http) : IRequestContext
{
    public string? RequestId => http.HttpContext?.TraceIdentifier;

    public string? ClientAddress => http.HttpContext?.Connection.RemoteIpAddress?.ToString();
}

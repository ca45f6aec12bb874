using System.Net;
using System.Text;
using Fees.BankGateway.History;
using Refit;

namespace Fees.BankGateway.Tests.History;

/// <summary>A stand-in for the network: records each request and answers from a function. Nothing leaves the process.</summary>
internal sealed class StubHttp : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, int, HttpResponseMessage> _respond;

    public StubHttp(Func<HttpRequestMessage, int, HttpResponseMessage> respond) => _respond = respond;

    public List<(HttpMethod Method, Uri Uri, string? Authorization)> Requests { get; } = [];

    public static StubHttp Always(HttpStatusCode status, string body = "{}") => new((_, _) => Json(status, body));

    public static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "history", name));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add((request.Method, request.RequestUri!, request.Headers.Authorization?.ToString()));
        var response = _respond(request, Requests.Count);
        response.RequestMessage ??= request; // as a real handler does; Refit reads it on error responses
        return Task.FromResult(response);
    }

    public ISePayTransactionsApi SePay(string baseAddress = "http://sepay.test/") =>
        RestService.ForGenerated<ISePayTransactionsApi>(new HttpClient(this, disposeHandler: false) { BaseAddress = new Uri(baseAddress) }, HistoryJsonContext.Default);

    public ICassoTransactionsApi Casso(string baseAddress = "http://casso.test/") =>
        RestService.ForGenerated<ICassoTransactionsApi>(new HttpClient(this, disposeHandler: false) { BaseAddress = new Uri(baseAddress) }, HistoryJsonContext.Default);
}

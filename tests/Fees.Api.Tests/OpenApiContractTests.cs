using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Testing;

namespace Fees.Api.Tests;

/// <summary>
/// The OpenAPI document holds every row of the contract's HTTP table built so far (CONTRACT.md §4): the method, the
/// path and each status the contract names. Later issues add their rows here as they build them.
/// </summary>
public sealed class OpenApiContractTests(EmptyFeesApp app) : IClassFixture<EmptyFeesApp>
{
    /// <summary>CONTRACT.md §4 (and §3 for the imports), as built: method, path, the statuses it promises.</summary>
    public static TheoryData<string, string, int[]> ContractRows => new()
    {
        { "get", "/health", [200, 503] },
        { "post", "/api/auth/token", [200, 401] },
        { "post", "/api/users", [201, 401, 403] },
        { "post", "/api/users/{username}/lock", [204, 401, 403] },
        { "post", "/api/users/{username}/unlock", [204, 401, 403] },
        { "post", "/api/import/orgs", [200, 400, 401, 403] },
        { "post", "/api/import/members", [200, 400, 401, 403] },
        { "post", "/api/import/income", [200, 400, 401, 403] },
        { "post", "/api/fees/quote", [200, 400, 401] },
        { "post", "/api/cycles/{period}/generate", [200, 401, 403, 422] },
        { "get", "/api/members/{memberNo}/statements", [200, 401, 403] },
        { "get", "/api/members/{memberNo}/payment-qr", [200, 401, 403, 409] },
        { "get", "/api/members/{memberNo}/payment-qr.png", [200, 401, 403, 409] },
        { "get", "/api/orgs/{orgCode}/trial-balance", [200, 401, 403] },
        { "get", "/api/orgs/{orgCode}/journal", [200, 401, 403] },
        { "post", "/api/audit/rule-checks", [200, 400, 401, 403, 429] },
        { "get", "/api/audit/checks", [200, 401, 403] },
        { "post", "/api/bank/notifications/generic", [200, 202, 400, 401] },
        { "post", "/api/bank/notifications/sepay", [200, 202, 400, 401] },
        { "post", "/api/bank/notifications/casso", [200, 202, 400, 401] },
        { "get", "/api/receipts/{receiptId}", [200, 401, 403, 404] },
        { "get", "/api/orgs/{orgCode}/reconciliation", [200, 401, 403] },
        { "post", "/api/receipts/{receiptId}/allocate", [200, 401, 403, 422] },
        { "post", "/api/orgs/{orgCode}/periods/{period}/close", [200, 401, 403, 409] },
        { "get", "/api/reports/{report}", [200, 400, 401, 403] },
    };

    [Theory]
    [MemberData(nameof(ContractRows))]
    public async Task OpenApiDocument_DescribesTheContractRow(string method, string path, int[] statuses)
    {
        var document = await Document();
        Assert.True(document.GetProperty("paths").TryGetProperty(path, out var item), $"{path} is not in the OpenAPI document");
        Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} is not in the OpenAPI document");
        var responses = operation.GetProperty("responses");
        foreach (int status in statuses)
        {
            Assert.True(responses.TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out _),
                $"{method.ToUpperInvariant()} {path} does not document {status}");
        }
    }

    [Fact]
    public async Task PngCode_IsDocumentedAsAnImage()
    {
        var document = await Document();
        var ok = document.GetProperty("paths").GetProperty("/api/members/{memberNo}/payment-qr.png").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.True(ok.GetProperty("content").TryGetProperty("image/png", out _));
    }

    [Fact]
    public async Task EveryOperation_ThatNeedsASignIn_Documents401()
    {
        var document = await Document();
        string[] anonymous = ["/health", "/api/auth/token", "/api/bank/notifications/generic", "/api/bank/notifications/sepay", "/api/bank/notifications/casso",
            "/api/receipts/verify/{orgCode}/{year}/{number}"];
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => !anonymous.Contains(p.Name)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                Assert.True(operation.Value.GetProperty("responses").TryGetProperty("401", out _), $"{operation.Name} {path.Name} does not document 401");
            }
        }
    }

    [Fact]
    public async Task ReferencePage_IsServedBesideTheDocument()
    {
        using var client = app.CreateClient();
        var page = await client.GetAsync("/api-docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> Document()
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Testing;

namespace Fees.Api.Tests;

public sealed class HealthTests(EmptyFeesApp app) : IClassFixture<EmptyFeesApp>
{
    [Fact]
    public async Task Health_IsHealthy_WhenTheDatabaseAnswers()
    {
        var response = await app.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Api_Answers401ProblemDetails_WithoutAToken()
    {
        var response = await app.CreateClient().GetAsync("/api/orgs");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Fees.Api.Hosting.Demo;
using Fees.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests.Bank;

/// <summary>The demo's simulated transfer exists only in the demo: a configured service shows no button and has no endpoint.</summary>
public sealed partial class SimulatedTransferAbsenceTests(FeesApp app) : IClassFixture<FeesApp>
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    private static string Token(string html) => AntiforgeryToken().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No antiforgery token on the page.");

    [Fact]
    public async Task SimulatedTransfer_OnAConfiguredService_HasNoButton_AndItsEndpointAnswers404()
    {
        var admin = await app.Admin();
        var generated = await admin.PostAsync("/api/cycles/2026-08/generate", null);
        Assert.True(generated.IsSuccessStatusCode, await generated.Content.ReadAsStringAsync());
        using var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        string signIn = await browser.GetStringAsync("/dang-nhap");
        var signedIn = await browser.PostAsync("/dang-nhap", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "dangvien",
            ["password"] = "dangvien-demo",
            ["__RequestVerificationToken"] = Token(signIn),
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var page = await browser.GetAsync("/dang-phi");
        string html = await page.Content.ReadAsStringAsync();
        var simulated = await browser.PostAsync(DemoBankEndpoints.SimulatedTransferPath, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Token(html),
        }));

        Assert.False(app.Services.GetRequiredService<DemoBank>().Enabled);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("id=\"qr-image\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Giả lập chuyển khoản", html, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoBankEndpoints.SimulatedTransferPath, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, simulated.StatusCode);
    }
}

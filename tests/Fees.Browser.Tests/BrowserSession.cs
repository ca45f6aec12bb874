using Fees.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Fees.Browser.Tests;

/// <summary>
/// The real service on a real loopback port (Kestrel), with the demo province, and Debian's chromium driven by
/// Playwright. Playwright never downloads a browser here: it launches <c>/usr/bin/chromium</c>.
/// </summary>
public class BrowserApp : FeesApp, IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public BrowserApp() => UseKestrel(0);

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (apt-get install chromium); .ci/run does.");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await DisposeAsync();
    }

    /// <summary>
    /// A new page whose waits allow for a loaded CI machine (the API tests run beside the browser tests on two cores).
    /// </summary>
    public async Task<IPage> NewPage(BrowserNewPageOptions? options = null)
    {
        var page = await Browser.NewPageAsync(options);
        page.SetDefaultTimeout(60_000);
        page.SetDefaultNavigationTimeout(60_000);
        return page;
    }

    /// <summary>
    /// Clicks and waits until the page has navigated to a URL the predicate accepts. The wait starts before the
    /// click and ends at the navigation's commit, so a fast redirect chain cannot finish before anyone listens (that
    /// race made waiting for the load event time out now and then); later reads auto-wait for their elements.
    /// </summary>
    public static async Task ClickAndWaitForUrl(IPage page, string selector, Func<string, bool> url)
    {
        var navigated = page.WaitForURLAsync(url, new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
        await page.ClickAsync(selector);
        await navigated;
    }

    /// <summary>Screenshots are kept as test artifacts under the test output's <c>artifacts/</c> folder.</summary>
    public static string ArtifactPath(string name)
    {
        string dir = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }
}

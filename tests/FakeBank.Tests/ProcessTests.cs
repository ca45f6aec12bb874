using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FakeBank.Tests.Infrastructure;

namespace FakeBank.Tests;

/// <summary>The process as a parent sees it: the listening line, the ways it stops, what it refuses at start.</summary>
public class ProcessTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Start_PrintsOneListeningLine_WithTheLoopbackPort_AndNothingElseOnStdout()
    {
        await using var bank = await FakeBankProcess.StartAsync(["--urls", "http://127.0.0.1:0"]);

        Assert.Equal("127.0.0.1", bank.BaseAddress.Host);
        Assert.NotEqual(0, bank.BaseAddress.Port);
        using var http = new HttpClient { BaseAddress = bank.BaseAddress };
        Assert.True((await http.GetAsync("control/status")).IsSuccessStatusCode);
        Assert.Equal([$"{FakeBankProcess.Marker}http://127.0.0.1:{bank.BaseAddress.Port}"],
            bank.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Sigterm_StopsTheProcessCleanly()
    {
        await using var bank = await FakeBankProcess.StartAsync(["--urls", "http://127.0.0.1:0"]);

        await bank.TerminateAsync();

        Assert.True(await bank.WaitForExitAsync(ExitTimeout), "FakeBank still runs after SIGTERM");
        Assert.Equal(0, bank.Process.ExitCode);
    }

    [Fact]
    public async Task ExitWithParent_StopsWhenStdinCloses()
    {
        await using var bank = await FakeBankProcess.StartAsync(["--urls", "http://127.0.0.1:0", "--exit-with-parent"]);

        bank.Process.StandardInput.Close();

        Assert.True(await bank.WaitForExitAsync(ExitTimeout), "FakeBank still runs after its stdin closed");
        Assert.Equal(0, bank.Process.ExitCode);
    }

    [Fact]
    public async Task ExitWithParent_WhenStdinIsClosedFromTheStart_StillExitsCleanly()
    {
        await using var bank = await FakeBankProcess.StartAsync(["--urls", "http://127.0.0.1:0", "--exit-with-parent"], listen: false);

        bank.Process.StandardInput.Close();

        Assert.True(await bank.WaitForExitAsync(ExitTimeout), "FakeBank still runs after its stdin closed");
        Assert.Equal(0, bank.Process.ExitCode);
    }

    [Fact]
    public async Task WithoutExitWithParent_ClosingStdinChangesNothing()
    {
        await using var bank = await FakeBankProcess.StartAsync(["--urls", "http://127.0.0.1:0"]);

        bank.Process.StandardInput.Close();

        Assert.False(await bank.WaitForExitAsync(TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:0")]
    [InlineData("http://127.0.0.1:0;http://+:0")]
    public async Task ANonLoopbackAddress_IsRefused(string urls)
    {
        await using var bank = await FakeBankProcess.StartAsync(["--urls", urls], listen: false);

        Assert.True(await bank.WaitForExitAsync(ExitTimeout));
        Assert.Equal(2, bank.Process.ExitCode);
        Assert.Contains("loopback only", bank.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeBankProcess.Marker, bank.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadStartupConfiguration_IsRefused()
    {
        await using var bank = await FakeBankProcess.StartAsync(["--urls", "http://127.0.0.1:0", "--sepay-mode", "oauth"], listen: false);

        Assert.True(await bank.WaitForExitAsync(ExitTimeout));
        Assert.Equal(2, bank.Process.ExitCode);
        Assert.Contains("authMode", bank.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandLineTargetsAndSecrets_AreUsed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var bank = await FakeBankProcess.StartAsync(
        [
            "--urls", "http://127.0.0.1:0",
            "--retry-scale", "0.001",
            "--generic-url", receiver.Url("hook"),
            "--generic-secret", "from-the-command-line",
            "--id-base", "700000",
            "--bank-clock", "2026-08-10T15:38:54Z",
            "--bank-clock-frozen", "true",
        ]);
        using var http = new HttpClient { BaseAddress = bank.BaseAddress };
        receiver.Answer("hook", 500);
        (await http.PostAsJsonAsync("control/accounts", new { bin = "970436", accountNumber = "1", accountName = "A", providers = new[] { "generic" } })).EnsureSuccessStatusCode();

        var created = await http.PostAsJsonAsync("control/transfers", new { toBin = "970436", toAccount = "1", amount = 1000, content = "x" });
        var transfer = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;

        Assert.Equal(700_001, (long)transfer["sequence"]!);
        Assert.Equal("2026-08-10T15:38:54+00:00", (string)transfer["bookedAt"]!);
        await Eventually.That(() => receiver.Requests.Count == 2);
        var request = receiver.Requests[1];
        Assert.Equal(IndependentSigner.Generic("from-the-command-line", request.Body), request.Header("X-Fees-Signature"));
    }

    [Fact]
    public async Task ManualClock_StartsAtTheBankClock_AndStandsStillUntilAdvanced()
    {
        await using var bank = await FakeBankProcess.StartAsync(["--urls", "http://127.0.0.1:0", "--manual-clock", "--bank-clock", "2026-08-10T15:38:54Z"]);
        using var http = new HttpClient { BaseAddress = bank.BaseAddress };

        var clock = JsonNode.Parse(await http.GetStringAsync("control/clock"))!;
        var advanced = await http.PostAsJsonAsync("control/clock/advance", new { seconds = 2.5 });
        var after = JsonNode.Parse(await advanced.Content.ReadAsStringAsync())!;
        var status = JsonNode.Parse(await http.GetStringAsync("control/status"))!;

        Assert.True((bool)clock["manual"]!);
        Assert.Equal("2026-08-10T15:38:54+00:00", (string)clock["now"]!);
        Assert.Equal(0, (int)clock["timers"]!);
        Assert.Equal("2026-08-10T15:38:56.5+00:00", (string)after["now"]!);
        Assert.Equal("2026-08-10T15:38:56.5+00:00", (string)status["clock"]!["now"]!);
    }

    [Fact]
    public async Task ManualClock_FromTheEnvironment_IsTheSameSwitch()
    {
        await using var bank = await FakeBankProcess.StartAsync(["--urls", "http://127.0.0.1:0"], environment: new Dictionary<string, string>
        {
            ["FakeBank__ManualClock"] = "true",
        });
        using var http = new HttpClient { BaseAddress = bank.BaseAddress };

        Assert.True((bool)JsonNode.Parse(await http.GetStringAsync("control/clock"))!["manual"]!);
    }

    [Fact]
    public async Task ClockAdvance_OnTheRealClock_Is409()
    {
        await using var bank = await FakeBankProcess.StartAsync(["--urls", "http://127.0.0.1:0"]);
        using var http = new HttpClient { BaseAddress = bank.BaseAddress };

        var response = await http.PostAsJsonAsync("control/clock/advance", new { seconds = 1 });

        Assert.Equal(System.Net.HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("clock_not_manual", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!);
        Assert.False((bool)JsonNode.Parse(await http.GetStringAsync("control/clock"))!["manual"]!);
    }

    [Fact]
    public async Task EnvironmentVariables_ConfigureTheFakeToo()
    {
        await using var bank = await FakeBankProcess.StartAsync(["--urls", "http://127.0.0.1:0"], environment: new Dictionary<string, string>
        {
            ["FakeBank__Providers__casso__ApiKey"] = "from-the-environment",
            ["FakeBank__RetryScale"] = "0.25",
        });
        using var http = new HttpClient { BaseAddress = bank.BaseAddress };

        var config = JsonNode.Parse(await http.GetStringAsync("control/config"))!;

        Assert.Equal("from-the-environment", (string)config["providers"]!["casso"]!["apiKey"]!);
        Assert.Equal(0.25, (double)config["retryScale"]!);
    }
}

using FakeBank.Configuration;
using FakeBank.Hosting;

// FakeBank: plays the banks and the aggregators (SePay, Casso) for tests and the demo. README.md beside this file.
var (rest, exitWithParent, manualClock) = LaunchArguments.Split(args);
var builder = WebApplication.CreateBuilder(rest);
builder.Configuration.AddCommandLine(rest, StartupConfiguration.SwitchMappings);
string urls = builder.Configuration["urls"] is { Length: > 0 } configured ? configured : LaunchArguments.DefaultUrl;
if (!LaunchArguments.AllLoopback(urls, out string offending))
{
    await Console.Error.WriteLineAsync($"FakeBank listens on loopback only; refusing '{offending}'.");
    return 2;
}
builder.WebHost.UseUrls(urls);
builder.AddFakeBank(exitWithParent, manualClock || StartupConfiguration.ManualClock(builder.Configuration));

var app = builder.Build();
if (app.Services.GetRequiredService<SettingsStore>().Apply(StartupConfiguration.Read(app.Configuration)) is { } error)
{
    await Console.Error.WriteLineAsync("FakeBank configuration: " + error);
    return 2;
}
app.MapFakeBank();

try
{
    await app.StartAsync();
}
catch (OperationCanceledException)
{
    // Stopped (SIGTERM) before the port was bound: nothing to announce.
    return 0;
}
Console.Out.WriteLine($"{FakeBankHost.ListeningMarker} {FakeBankHost.ListeningAddress(app)}");
Console.Out.Flush();
await app.WaitForShutdownAsync();
return 0;

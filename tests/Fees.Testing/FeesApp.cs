using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fees.Persistence;
using Fees.Persistence.Database;
using Fees.Api.Hosting.Demo;
using Microsoft.Extensions.Time.Testing;
using Fees.DemoData;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Testing;

/// <summary>
/// The real service (real HTTP pipeline, real PostgreSQL) on its own database, optionally with the demo province
/// (300 members) and demo users seeded exactly as in the embedded default.
/// </summary>
public class FeesApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminPassword = "admin-test-password";
    public const int DemoMembers = 300;
    public const string GenericSecret = "test-generic-secret";
    public const string SePayApiKey = "test-sepay-api-key";
    public const string CassoChecksumKey = "test-casso-checksum-key";

    private DatabaseConnections? _database;
    private string? _dataDir;

    protected virtual bool SeedDemo => true;

    public DatabaseConnections Database => _database ?? throw new InvalidOperationException("Not started");

    /// <summary>
    /// "Now" for the service under test: a fixed instant (2 December 2026, 10:00 in Vietnam), moved only by the tests
    /// (<see cref="FakeTimeProvider.Advance"/>), so no test depends on the day it runs.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(Today);

    /// <summary>The instant every test app starts at.</summary>
    public static readonly DateTimeOffset Today = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    /// <summary>Landmarks of the seeded demo province (the same generator and options as the seeder).</summary>
    public DemoWellKnown Demo => DemoSeeder.Generator(DemoMembers, Clock).WellKnown;

    public async Task InitializeAsync()
    {
        _database = await CreateDatabase();
        _dataDir = await TestCluster.TempDirectory();
        StartServer(); // start now: migrations and the admin happen here, not inside the first test
        if (SeedDemo)
        {
            // The embedded default seeds the demo province itself; a configured database (like this one) never is,
            // so the tests seed it explicitly, with the same seeder.
            await WithScopeAsync(async s =>
            {
                await s.GetRequiredService<DemoSeeder>().SeedIfEmpty(DemoMembers, withStatements: false, CancellationToken.None);
                return 0;
            });
        }
    }

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    /// <summary>The database this service runs on: a new one per test class, unless a subclass shares one.</summary>
    protected virtual Task<DatabaseConnections> CreateDatabase() => TestCluster.NewDatabase(GetType().Name);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Fees", Database.App);
        builder.UseSetting("ConnectionStrings:FeesOwner", Database.Owner);
        builder.UseSetting("FEES_ADMIN_PASSWORD", AdminPassword);
        builder.UseSetting("FEES_DATA_DIR", _dataDir);
        builder.UseSetting("Bank:Providers:generic:Secret", GenericSecret);
        builder.UseSetting("Bank:Providers:sepay:ApiKey", SePayApiKey);
        builder.UseSetting("Bank:Providers:casso:ChecksumKey", CassoChecksumKey);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
        // Fewer PBKDF2 rounds keep sign-ins fast in tests; production keeps the default.
        builder.UseSetting("Fees:PasswordIterations", "10000");
        // Every test signs in from the same address, many times a second: the per-address limit is out of the way here;
        // the tests of the limiter set a low one in their own fixture.
        builder.UseSetting("Fees:SignInRateLimit:Burst", "1000000");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Settings a subclass adds on top of the test defaults (they win).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    public async Task<HttpClient> ClientFor(string username, string password)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenBody>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    public Task<HttpClient> Admin() => ClientFor("admin", AdminPassword);

    public T WithScope<T>(Func<IServiceProvider, T> use)
    {
        using var scope = Services.CreateScope();
        return use(scope.ServiceProvider);
    }

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> use)
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider);
    }

    private sealed record TokenBody(string AccessToken, string TokenType, long ExpiresIn);
}

/// <summary>The service on an empty database (only the admin).</summary>
public class EmptyFeesApp : FeesApp
{
    protected override bool SeedDemo => false;
}

/// <summary>
/// The service on a database that already exists (made by <see cref="TestCluster.NewDatabase"/> or another host): several
/// hosts one after another, or side by side, on the same books; optionally with settings of its own (a restart with
/// other configuration).
/// </summary>
public sealed class SharedDatabaseApp(
    DatabaseConnections database, bool seedDemo, IReadOnlyDictionary<string, string>? settings = null) : FeesApp
{
    protected override bool SeedDemo => seedDemo;

    protected override IReadOnlyDictionary<string, string> Settings { get; } = settings ?? new Dictionary<string, string>();

    protected override Task<DatabaseConnections> CreateDatabase() => Task.FromResult(database);
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using Fees.Api.Database;
using Fees.Api.Imports;
using Fees.DemoData;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests.Infrastructure;

/// <summary>
/// The real service (real HTTP pipeline, real PostgreSQL) on its own database, optionally with the demo province
/// (300 members) and demo users seeded exactly as in the embedded default.
/// </summary>
public class FeesApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminPassword = "admin-test-password";
    public const int DemoMembers = 300;

    private DatabaseConnections? _database;
    private string? _dataDir;

    protected virtual bool SeedDemo => true;

    public DatabaseConnections Database => _database ?? throw new InvalidOperationException("Not started");

    /// <summary>Landmarks of the seeded demo province (the same generator and options as the seeder).</summary>
    public DemoWellKnown Demo { get; } = DemoSeeder.Generator(DemoMembers, TimeProvider.System).WellKnown;

    public async Task InitializeAsync()
    {
        _database = await TestCluster.NewDatabase(GetType().Name);
        _dataDir = await TestCluster.TempDirectory();
        StartServer(); // start now: migrations, admin and demo seeding happen here, not inside the first test
    }

    Task IAsyncLifetime.DisposeAsync() => base.DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Fees", Database.App);
        builder.UseSetting("ConnectionStrings:FeesOwner", Database.Owner);
        builder.UseSetting("FEES_ADMIN_PASSWORD", AdminPassword);
        builder.UseSetting("FEES_DATA_DIR", _dataDir);
        builder.UseSetting("Fees:SeedDemo", SeedDemo ? "true" : "false");
        // Tests generate the periods they need themselves.
        builder.UseSetting("Fees:SeedDemoStatements", "false");
        builder.UseSetting("Fees:DemoMembers", DemoMembers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Fewer PBKDF2 rounds keep sign-ins fast in tests; production keeps the default.
        builder.UseSetting("Fees:PasswordIterations", "10000");
    }

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

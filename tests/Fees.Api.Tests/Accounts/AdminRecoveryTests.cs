using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Api.Hosting;
using Fees.Domain.Accounts;
using Fees.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Fees.Api.Tests.Accounts;

/// <summary>
/// The operator's way back in: starting the service with <c>FEES_ADMIN_RESET=1</c> and <c>FEES_ADMIN_PASSWORD</c>
/// resets the built-in admin's password, unlocks it, ends its sessions, and says so in the audit log.
/// </summary>
public sealed class AdminRecoveryTests(EmptyFeesApp app) : IClassFixture<EmptyFeesApp>
{
    private async Task RestartWithReset(string password)
    {
        // A second start of the service on the same database, as an operator would do it.
        await using var restarted = app.WithWebHostBuilder(b => b
            .UseSetting("FEES_ADMIN_RESET", "1")
            .UseSetting("FEES_ADMIN_PASSWORD", password));
        _ = restarted.Services; // starts it: the reset runs before it serves
    }

    [Fact]
    public async Task FeesAdminReset_ResetsThePassword_UnlocksTheAdmin_AndEndsItsSessions()
    {
        // Locked out by strangers, with a session still open somewhere.
        var stolen = await app.Admin();
        for (int i = 0; i < SignInLockout.Threshold; i++)
        {
            await app.TryToken("admin", "guess-" + i);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.TryToken("admin", FeesApp.AdminPassword)).StatusCode);

        await RestartWithReset("recovered-password-1");

        Assert.Equal(HttpStatusCode.Unauthorized, (await stolen.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.TryToken("admin", FeesApp.AdminPassword)).StatusCode);
        var admin = await app.ClientFor("admin", "recovered-password-1");
        var records = await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?targetType=user&targetId=admin&action=user.admin_recovered");
        var record = Assert.Single(records!);
        Assert.Equal("system", record.GetProperty("actor").GetString());
        Assert.Equal(1, record.GetProperty("after").GetProperty("sessionsEnded").GetInt32());

        // Locked by another admin (who then left): the reset unlocks it too.
        (await admin.PostAsJsonAsync("/api/users", new { username = "other.admin", password = "other-admin-1", role = "admin" })).EnsureSuccessStatusCode();
        var other = await app.ClientFor("other.admin", "other-admin-1");
        Assert.Equal(HttpStatusCode.NoContent, (await other.PostAsync("/api/users/admin/lock", null)).StatusCode);
        Assert.True((await app.State("admin")).Locked);

        await RestartWithReset("recovered-password-2");

        Assert.Equal(new Accounts.StoredState(false, 0, 0, null), await app.State("admin"));
        Assert.Equal(HttpStatusCode.OK, (await app.TryToken("admin", "recovered-password-2")).StatusCode);
        // Put back what the fixture's other tests expect.
        var recovered = await app.ClientFor("admin", "recovered-password-2");
        Assert.Equal(HttpStatusCode.NoContent, (await recovered.PostAsJsonAsync("/api/users/admin/password", new { password = FeesApp.AdminPassword })).StatusCode);
    }

    [Fact]
    public async Task FeesAdminReset_RefusesToStart_WithoutANewPassword()
    {
        // A host of its own (not derived from the class fixture, which would try to stop it again when it is disposed:
        // a host that never started cannot be stopped).
        var withoutPassword = new SharedDatabaseApp(app.Database, seedDemo: false, new Dictionary<string, string>
        {
            ["FEES_ADMIN_RESET"] = "1",
            ["FEES_ADMIN_PASSWORD"] = "",
        });
        await Assert.ThrowsAnyAsync<Exception>(((IAsyncLifetime)withoutPassword).InitializeAsync);

        // Why: the options refuse a reset without a password chosen now (never back to a default).
        var options = new FeesOptions { DataDirectory = "/tmp", AdminReset = true };
        var errors = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Contains("FEES_ADMIN_PASSWORD", Assert.Single(errors).ErrorMessage, StringComparison.Ordinal);
    }
}

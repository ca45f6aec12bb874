using System.Net.Http.Json;
using Fees.Testing;
using Npgsql;

namespace Fees.Api.Tests.Accounts;

/// <summary>What the account tests share: creating users, trying passwords, reading an account's sign-in state.</summary>
internal static class Accounts
{
    /// <summary>An account's sign-in state as stored.</summary>
    public sealed record StoredState(bool Locked, int FailedAttempts, int Lockouts, DateTimeOffset? LockedOutUntil);

    public static async Task CreateUser(this FeesApp app, string username, string password, string role = "auditor", string? orgCode = null)
    {
        var admin = await app.Admin();
        var body = role == "admin"
            ? (object)new { username, password, role }
            : new { username, password, role, orgCode = orgCode ?? app.Demo.ProvinceCode };
        (await admin.PostAsJsonAsync("/api/users", body)).EnsureSuccessStatusCode();
    }

    public static Task<HttpResponseMessage> TryToken(this FeesApp app, string username, string password) =>
        app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username, password });

    public static async Task<StoredState> State(this FeesApp app, string username)
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select is_locked, failed_attempts, lockouts, locked_out_until from users where username = $1", conn);
        cmd.Parameters.Add(new() { Value = username });
        await using var row = await cmd.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync(), $"no user {username}");
        return new StoredState(row.GetBoolean(0), row.GetInt32(1), row.GetInt32(2), row.IsDBNull(3) ? null : row.GetFieldValue<DateTimeOffset>(3));
    }
}

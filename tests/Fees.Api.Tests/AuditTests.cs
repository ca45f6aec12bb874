using System.Net.Http.Json;
using System.Text.Json;
using Fees.Testing;
using Npgsql;

namespace Fees.Api.Tests;

/// <summary>Every import and user change leaves an audit record; nobody can rewrite one.</summary>
public sealed class AuditTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task UserCreationLockAndImport_EachLeaveAnAuditRecord()
    {
        var admin = await app.Admin();
        (await admin.PostAsJsonAsync("/api/users", new { username = "audited.user", password = "audited-pass", role = "member", memberNo = app.Demo.SiblingCellMemberNo }))
            .EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/users/audited.user/lock", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/import/members", Csv.Body(
            "member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on\n" +
            $"77000001,Lê Văn Cường,{app.Demo.CellCode},probationary,student,2004-01-01,M,2026-03-03\n"))).EnsureSuccessStatusCode();

        var userRecords = await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?targetType=user&targetId=audited.user");
        Assert.Contains(userRecords!, r => r.GetProperty("action").GetString() == "user.create");
        var lockRecord = Assert.Single(userRecords!, r => r.GetProperty("action").GetString() == "user.lock");
        Assert.False(lockRecord.GetProperty("before").GetProperty("locked").GetBoolean());
        Assert.True(lockRecord.GetProperty("after").GetProperty("locked").GetBoolean());
        Assert.Equal("admin", lockRecord.GetProperty("actor").GetString());
        Assert.False(string.IsNullOrEmpty(lockRecord.GetProperty("requestId").GetString()));

        var memberRecords = await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?targetType=member&targetId=77000001");
        Assert.Equal("member.create", Assert.Single(memberRecords!).GetProperty("action").GetString());
        var importRecords = await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?action=import.members&limit=1");
        Assert.Equal(1, Assert.Single(importRecords!).GetProperty("after").GetProperty("created").GetInt32());
    }

    [Fact]
    public async Task Auditor_ReadsOnlyTheRecordsOfTheirSubtree()
    {
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        var records = await auditor.GetFromJsonAsync<JsonElement[]>("/api/audit?limit=1000");
        Assert.NotEmpty(records!);
        // The built-in admin has no place in the tree: only admins see records about it.
        Assert.DoesNotContain(records!, r => r.GetProperty("targetId").GetString() == "admin");
        Assert.Contains(records!, r => r.GetProperty("targetId").GetString() == "thuquy");
    }

    [Theory]
    [InlineData("update audit_log set actor = 'someone else'")]
    [InlineData("delete from audit_log")]
    [InlineData("truncate audit_log")]
    public async Task RewritingAuditRows_FailsForTheServicesDatabaseRole(string sql)
    {
        await using var conn = new NpgsqlConnection(app.Database.App);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var error = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task RewritingAuditRows_FailsEvenForTheOwner()
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("update audit_log set actor = 'someone else'", conn);
        var error = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
    }
}

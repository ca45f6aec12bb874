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
    public async Task AnImportsRecords_AreWrittenOnTheServer_InLineOrder_InTheirProvince_WithTheImportsRequest()
    {
        var admin = await app.Admin();
        const string header = "member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on\n";
        (await admin.PostAsync("/api/import/members", Csv.Body(header +
            $"77000022,Trần Thị Bích,{app.Demo.SiblingCellCode},official,si,1990-05-05,F,2015-03-03\n" +
            $"77000021,Phạm Văn Dũng,{app.Demo.CellCode},official,si,1988-04-04,M,2012-02-02\n"))).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/import/members", Csv.Body(header +
            $"77000021,Phạm Văn Dũng Sửa,{app.Demo.CellCode},official,si,1988-04-04,M,2012-02-02\n"))).EnsureSuccessStatusCode();

        // Numbered in the file's order, not the member numbers'.
        Assert.Equal(1, await app.OwnerScalar("""
            select ((select id from audit_log where action = 'member.create' and target_id = '77000022')
                  < (select id from audit_log where action = 'member.create' and target_id = '77000021'))::int
            """));
        // Each in its organization's province, by the actor, under the import's own request, with before and after.
        Assert.Equal(3, await app.OwnerScalar("""
            select count(*) from audit_log a
            join orgs o on o.path = a.org_path
            join audit_log i on i.action = 'import.members' and i.request_id = a.request_id
            where a.target_type = 'member' and a.target_id in ('77000021', '77000022')
              and a.province_id = o.province_id and o.province_id <> 0
              and a.actor = 'admin' and a.actor_role = 'admin' and a.request_id is not null
              and a.after->>'orgCode' = o.code
            """));
        Assert.Equal(1, await app.OwnerScalar("""
            select count(*) from audit_log
            where action = 'member.update' and target_id = '77000021'
              and before->>'fullName' = 'Phạm Văn Dũng' and after->>'fullName' = 'Phạm Văn Dũng Sửa'
            """));
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

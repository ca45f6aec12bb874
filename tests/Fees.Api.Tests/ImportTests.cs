using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Persistence;
using Fees.Persistence.Database;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests;

/// <summary>Imports are all-or-nothing, name every bad row and column, and are idempotent.</summary>
public sealed class ImportTests(EmptyFeesApp app) : IClassFixture<EmptyFeesApp>
{
    private static readonly (string Orgs, string Members, string Income) Files = Csv.Demo(1000, seed: 7, provinceCode: "QT", provinceNumber: 45);

    private async Task<HttpClient> ImportedProvince()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/import/orgs", Csv.Body(Files.Orgs))).EnsureSuccessStatusCode();
        return admin;
    }

    private int CountMembers() => app.WithScope(s => s.GetRequiredService<FeesDbContext>().Members.Count());

    [Fact]
    public async Task MembersFile_WithOneBadRowAmongAThousand_Returns400NamingRowAndColumn_AndImportsNothing()
    {
        var admin = await ImportedProvince();
        var lines = Files.Members.TrimEnd('\n').Split('\n');
        Assert.Equal(1001, lines.Length);
        var cells = lines[500].Split(',');
        cells[5] = "1980-02-30"; // birth_date on file line 501
        lines[500] = string.Join(',', cells);
        int before = CountMembers();

        var response = await admin.PostAsync("/api/import/members", Csv.Body(string.Join('\n', lines) + "\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("import_rejected", problem.GetProperty("code").GetString());
        Assert.Equal(1, problem.GetProperty("errorCount").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty("line 501: birth_date", out _));
        var rowError = problem.GetProperty("rowErrors")[0];
        Assert.Equal(501, rowError.GetProperty("line").GetInt32());
        Assert.Equal("birth_date", rowError.GetProperty("column").GetString());
        Assert.Equal(before, CountMembers());
    }

    [Fact]
    public async Task SameValidFiles_ImportedTwice_ReportEverythingUnchangedTheSecondTime()
    {
        var admin = await ImportedProvince();
        var orgsAgain = await (await admin.PostAsync("/api/import/orgs", Csv.Body(Files.Orgs))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, orgsAgain.GetProperty("created").GetInt32());
        Assert.Equal(0, orgsAgain.GetProperty("updated").GetInt32());

        var first = await admin.PostAsync("/api/import/members", Csv.Body(Files.Members));
        first.EnsureSuccessStatusCode();
        var second = await (await admin.PostAsync("/api/import/members", Csv.Body(Files.Members))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, second.GetProperty("created").GetInt32());
        Assert.Equal(0, second.GetProperty("updated").GetInt32());
        Assert.Equal(1000, second.GetProperty("unchanged").GetInt32());

        (await admin.PostAsync("/api/import/income", Csv.Body(Files.Income))).EnsureSuccessStatusCode();
        var incomeAgain = await (await admin.PostAsync("/api/import/income", Csv.Body(Files.Income))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, incomeAgain.GetProperty("created").GetInt32());
        Assert.Equal(0, incomeAgain.GetProperty("updated").GetInt32());
        Assert.True(incomeAgain.GetProperty("unchanged").GetInt32() > 1000);
    }

    [Fact]
    public async Task OrgsFile_NamesUnknownParent_Cycle_DuplicateCode_UnknownBin_AndBadRegion()
    {
        var admin = await app.Admin();
        const string file = """
            code,name,kind,parent_code,setting,wage_region,bank_bin,bank_account,bank_account_name
            ZZ,Tỉnh ủy Thử,province,,other,1,970436,0071000962707,TINH UY THU
            ZZ.A,Đảng ủy xã A,upper,ZZ.B,commune,3,,,
            ZZ.B,Đảng ủy xã B,upper,ZZ.A,commune,3,,,
            ZZ.C,Đảng ủy xã C,upper,NOWHERE,commune,3,,,
            ZZ.D,Đảng ủy xã D,upper,ZZ,commune,3,123456,0071000962707,DANG UY XA D
            ZZ.D,Đảng ủy xã D lặp,upper,ZZ,commune,5,,,
            """;
        var response = await admin.PostAsync("/api/import/orgs", Csv.Body(file.Replace("\r", "", StringComparison.Ordinal) + "\n"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("line 6: bank_bin", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("line 7: wage_region", out _), errors.ToString());
        var again = await admin.PostAsync("/api/import/orgs", Csv.Body("""
            code,name,kind,parent_code,setting,wage_region,bank_bin,bank_account,bank_account_name
            ZZ,Tỉnh ủy Thử,province,,other,1,970436,0071000962707,TINH UY THU
            ZZ.A,Đảng ủy xã A,upper,ZZ.B,commune,3,,,
            ZZ.B,Đảng ủy xã B,upper,ZZ.A,commune,3,,,
            ZZ.C,Đảng ủy xã C,upper,NOWHERE,commune,3,,,
            ZZ.D,Đảng ủy xã D,upper,ZZ,commune,3,,,
            ZZ.D,Đảng ủy xã D lặp,upper,ZZ,commune,3,,,
            """.Replace("\r", "", StringComparison.Ordinal) + "\n"));
        var treeErrors = (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(treeErrors.TryGetProperty("line 3: parent_code", out var cycle), treeErrors.ToString());
        Assert.Contains("vòng lặp", cycle[0].GetString(), StringComparison.Ordinal);
        Assert.True(treeErrors.TryGetProperty("line 5: parent_code", out _), treeErrors.ToString());
        Assert.True(treeErrors.TryGetProperty("line 7: code", out _), treeErrors.ToString());
        Assert.False(await app.WithScopeAsync(s => s.GetRequiredService<FeesDbContext>().Orgs.AnyAsync(o => o.Code.StartsWith("ZZ"))));
    }

    [Fact]
    public async Task OrgsFile_AParentWithABadCell_IsNamedOnce_AndItsChildrenAreNotToldTheParentIsMissing()
    {
        var admin = await app.Admin();
        var response = await admin.PostAsync("/api/import/orgs", Csv.Body(
            "code,name,kind,parent_code,setting,wage_region,bank_bin,bank_account,bank_account_name\n" +
            "YY,Tỉnh ủy Thử Hai,province,,other,1,999999,0071000962707,TINH UY THU HAI\n" +
            "YY.X1,Đảng ủy xã Một,upper,YY,commune,3,,,\n"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, problem.GetProperty("errorCount").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty("line 2: bank_bin", out _), problem.ToString());
    }

    [Fact]
    public async Task MembersFile_InUnknownOrganization_IsRejectedNamingTheOrgCode()
    {
        var admin = await ImportedProvince();
        var response = await admin.PostAsync("/api/import/members", Csv.Body(
            "member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on\n" +
            "99000001,Nguyễn Văn An,NO.SUCH.ORG,official,si,1980-01-01,M,2005-05-19\n"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("line 2: org_code", out _), errors.ToString());
    }

    [Fact]
    public async Task MovingAMemberByImport_KeepsTheOldPlacementInTheHistory()
    {
        var admin = await ImportedProvince();
        (await admin.PostAsync("/api/import/members", Csv.Body(Files.Members))).EnsureSuccessStatusCode();
        var lines = Files.Members.TrimEnd('\n').Split('\n');
        var first = lines[1].Split(',');
        var other = lines.Skip(1).Select(l => l.Split(',')).First(c => c[2] != first[2]);
        first[2] = other[2];
        var moved = await admin.PostAsync("/api/import/members", Csv.Body(lines[0] + "\n" + string.Join(',', first) + "\n"));
        var counts = await moved.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, counts.GetProperty("updated").GetInt32());

        var member = await admin.GetFromJsonAsync<JsonElement>($"/api/members/{first[0]}");
        Assert.Equal(other[2], member.GetProperty("orgCode").GetString());
        Assert.Equal(2, member.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task MembersFile_InAWindowsCodePage_IsRefusedNamingTheFirstBadLine_AndImportsNothing()
    {
        var admin = await ImportedProvince();
        var lines = Files.Members.TrimEnd('\n').Split('\n');
        var utf8 = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines.Take(3)) + "\n");
        // Line 4 as a Windows-1252 export writes "Nguyễn Văn": "Nguy" + 0xEA (not UTF-8) + "n V" + 0xE3 + "n".
        var cells = lines[3].Split(',');
        byte[] latin = [.. "Nguy"u8, 0xEA, .. "n V"u8, 0xE3, .. "n"u8];
        var bad = System.Text.Encoding.UTF8.GetBytes(cells[0] + ",").Concat(latin).Concat(System.Text.Encoding.UTF8.GetBytes("," + string.Join(',', cells.Skip(2)) + "\n"));
        var content = new ByteArrayContent([.. utf8, .. bad]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        int before = CountMembers();

        var response = await admin.PostAsync("/api/import/members", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("line 4: file", out _), problem.ToString());
        Assert.Equal(before, CountMembers());
    }

    [Fact]
    public async Task ACellWithANulCharacter_IsA400NamingTheCell_NotA500()
    {
        var admin = await ImportedProvince();
        var lines = Files.Members.TrimEnd('\n').Split('\n');
        var cells = lines[10].Split(',');
        cells[1] = "Trần\0Văn Bình";
        lines[10] = string.Join(',', cells);

        var response = await admin.PostAsync("/api/import/members", Csv.Body(string.Join('\n', lines) + "\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("line 11: full_name", out _), problem.ToString());
        Assert.Contains("\\u0000", problem.GetProperty("rowErrors")[0].GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHugeCell_IsNotEchoedBack()
    {
        var admin = await ImportedProvince();
        var lines = Files.Members.TrimEnd('\n').Split('\n');
        var cells = lines[1].Split(',');
        cells[0] = new string('9', 3_000_000);
        lines[1] = string.Join(',', cells);

        var response = await admin.PostAsync("/api/import/members", Csv.Body(string.Join('\n', lines) + "\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadAsStringAsync()).Length < 10_000);
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fees.Domain.Accounts;
using Fees.Persistence.Imports;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests;

/// <summary>
/// The record of an import run (issue 12 §1, the import page's progress): measured by the importer, kept in the database
/// (so any instance answers), readable only by the one who started it or an auditor over their scope, and started once
/// per run id however many identical calls arrive together.
/// </summary>
public sealed class ImportRunTests(FeesApp app) : IClassFixture<FeesApp>
{
    private static readonly string[] Order = ["receiving", "waiting", "reading", "checking", "writing", "done"];

    /// <summary>A members file of <paramref name="count"/> new members in the demo cell (inside the office's scope).</summary>
    private string MembersFile(int first, int count)
    {
        var sb = new StringBuilder("member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on\n");
        for (int i = first; i < first + count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"71{i:D6},Nguyễn Thị Hồng Nhung,{app.Demo.CellCode},official,si,1985-03-02,F,2010-02-03\n");
        }
        return sb.ToString();
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task ImportWithARunId_RecordsThePhasesInOrder_AndTheBytesReadReachTheFilesSize()
    {
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        var runId = Guid.NewGuid();
        string file = MembersFile(100_000, 10_000);

        var import = office.PostAsync($"/api/import/members?runId={runId}", Csv.Body(file));
        // Read the record while the import runs, as the page does: every phase seen is at or after the one before.
        var seen = new List<string>();
        while (!import.IsCompleted)
        {
            var read = await office.GetAsync($"/api/import/runs/{runId}");
            if (read.StatusCode == HttpStatusCode.OK)
            {
                seen.Add((await Json(read)).GetProperty("phase").GetString()!);
            }
            await Task.Delay(100);
        }
        var response = await import;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(runId.ToString(), response.Headers.GetValues("Import-Run-Id").Single());

        var run = await Json(await office.GetAsync($"/api/import/runs/{runId}"));
        Assert.Equal("done", run.GetProperty("phase").GetString());
        Assert.Equal("Hoàn tất", run.GetProperty("phaseTitle").GetString());
        Assert.Equal("members", run.GetProperty("kind").GetString());
        Assert.Equal("vanphong", run.GetProperty("startedBy").GetString());
        long size = Encoding.UTF8.GetByteCount(file);
        Assert.Equal(size, run.GetProperty("bytesTotal").GetInt64());
        Assert.Equal(size, run.GetProperty("bytesRead").GetInt64());
        Assert.Equal(10_001, run.GetProperty("linesRead").GetInt64());
        Assert.Equal(10_000, run.GetProperty("result").GetProperty("created").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, run.GetProperty("finishedAt").ValueKind);
        seen.Add("done");
        var ranks = seen.Select(p => Array.IndexOf(Order, p)).ToList();
        Assert.DoesNotContain(-1, ranks);
        Assert.Equal(ranks.Order(), ranks);
    }

    [Fact]
    public async Task TheImporter_ReportsEveryPhaseInOrder_AndBytesThatOnlyGrowToTheTotal()
    {
        var progress = new Recording();
        string file = MembersFile(200_000, 3_000);
        var outcome = await app.WithScopeAsync(s => s.GetRequiredService<ImportService>()
            .Import(ImportKind.Members, new MemoryStream(Encoding.UTF8.GetBytes(file)), Actor.System, progress, CancellationToken.None));

        Assert.True(outcome.Succeeded);
        Assert.Equal(new[] { ImportPhase.Receiving, ImportPhase.Waiting, ImportPhase.Reading, ImportPhase.Checking, ImportPhase.Writing }, progress.Phases);
        Assert.True(progress.Reads.Count > 1);
        Assert.Equal(progress.Reads.Select(r => r.Read).Order(), progress.Reads.Select(r => r.Read));
        Assert.Equal(Encoding.UTF8.GetByteCount(file), progress.Reads[^1].Read);
        Assert.All(progress.Reads, r => Assert.Equal(Encoding.UTF8.GetByteCount(file), r.Total));
        Assert.Equal(3_001, progress.Reads[^1].Lines);
    }

    [Fact]
    public async Task ARejectedFile_EndsItsRunRejected_WithTheNumberOfErrors()
    {
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        var runId = Guid.NewGuid();
        string file = MembersFile(300_000, 10).Replace("1985-03-02", "1985-02-30", StringComparison.Ordinal);

        var response = await office.PostAsync($"/api/import/members?runId={runId}", Csv.Body(file));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var run = await Json(await office.GetAsync($"/api/import/runs/{runId}"));
        Assert.Equal("rejected", run.GetProperty("phase").GetString());
        Assert.Equal(10, run.GetProperty("errorCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("result").ValueKind);
    }

    [Fact]
    public async Task ARun_IsReadByItsStarterAndAnAuditorOverIt_Only_AndReadsChangeNothing()
    {
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        var admin = await app.Admin();
        var officeRun = Guid.NewGuid();
        var adminRun = Guid.NewGuid();
        (await office.PostAsync($"/api/import/members?runId={officeRun}", Csv.Body(MembersFile(400_000, 5)))).EnsureSuccessStatusCode();
        (await admin.PostAsync($"/api/import/members?runId={adminRun}", Csv.Body(MembersFile(400_100, 5)))).EnsureSuccessStatusCode();
        string before = (await Json(await office.GetAsync($"/api/import/runs/{officeRun}"))).GetRawText();

        // The auditor of the province sees the office's run (inside the province), not the admin's national one.
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/import/runs/{officeRun}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync($"/api/import/runs/{adminRun}")).StatusCode);
        // Another office user's run is as unknown as an id nobody used.
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/import/runs/{adminRun}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.GetAsync($"/api/import/runs/{Guid.NewGuid()}")).StatusCode);
        // A treasurer does not read import runs at all.
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.GetAsync($"/api/import/runs/{officeRun}")).StatusCode);
        // Bounded input: not a uuid, or far too long, is a 400 naming the id.
        foreach (string bad in new[] { "not-a-uuid", new string('a', 5000), Guid.Empty.ToString() })
        {
            var refused = await office.GetAsync($"/api/import/runs/{bad}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await Json(refused)).GetProperty("errors").TryGetProperty("id", out _));
        }

        Assert.Equal(before, (await Json(await office.GetAsync($"/api/import/runs/{officeRun}"))).GetRawText());
    }

    [Fact]
    public async Task ABadRunId_Is400NamingIt_AndImportsNothing()
    {
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        long members = await app.OwnerScalar("select count(*) from members");

        var response = await office.PostAsync("/api/import/members?runId=123", Csv.Body(MembersFile(500_000, 3)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Json(response)).GetProperty("errors").TryGetProperty("runId", out _));
        Assert.Equal(members, await app.OwnerScalar("select count(*) from members"));
    }

    [Fact]
    public async Task TwentyIdenticalCallsAtOnce_ImportOnce_TheOthersAre409()
    {
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        var runId = Guid.NewGuid();
        string file = MembersFile(600_000, 50);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => office.PostAsync($"/api/import/members?runId={runId}", Csv.Body(file))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(19, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("import_run_exists", (await Json(conflict)).GetProperty("code").GetString());
        }
        Assert.Equal(1, await app.OwnerScalar("select count(*) from import_runs where id = @id", ("id", runId)));
        Assert.Equal(50, await app.OwnerScalar("select count(*) from members where member_no like '7160%'"));
        var run = await Json(await office.GetAsync($"/api/import/runs/{runId}"));
        Assert.Equal(50, run.GetProperty("result").GetProperty("created").GetInt32());
    }

    [Fact]
    public async Task Runs_OlderThanTheRetention_AreDeletedByTheNextStart()
    {
        var old = Guid.NewGuid();
        await app.OwnerScalar("""
            insert into import_runs (id, user_id, username, scope_path, kind, phase, started_at, updated_at, finished_at, rows_created, rows_updated, rows_unchanged)
            values (@id, 1, 'admin', '', 'orgs', 'done', @at, @at, @at, 0, 0, 0)
            """, ("id", old), ("at", FeesApp.Today - ImportRuns.Kept - TimeSpan.FromHours(1)));
        Assert.Equal(1, await app.OwnerScalar("select count(*) from import_runs where id = @id", ("id", old)));

        var office = await app.ClientFor("vanphong", "vanphong-demo");
        (await office.PostAsync("/api/import/members", Csv.Body(MembersFile(700_000, 1)))).EnsureSuccessStatusCode();

        Assert.Equal(0, await app.OwnerScalar("select count(*) from import_runs where id = @id", ("id", old)));
        Assert.Equal(0, await app.OwnerScalar("select count(*) from import_runs where started_at < @cutoff", ("cutoff", FeesApp.Today - ImportRuns.Kept)));
    }

    [Fact]
    public async Task AnUnfinishedRunWhoseRecordWentSilent_IsReportedInterrupted()
    {
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        var silent = Guid.NewGuid();
        var at = FeesApp.Today - ImportRuns.Silence - TimeSpan.FromSeconds(1);
        await app.OwnerScalar("""
            insert into import_runs (id, user_id, username, scope_path, kind, phase, bytes_total, bytes_read, started_at, updated_at)
            select @id, id, username, '/x/', 'members', 'writing', 100, 100, @at, @at from users where username = 'vanphong'
            """, ("id", silent), ("at", at));

        var run = await Json(await office.GetAsync($"/api/import/runs/{silent}"));

        Assert.Equal("interrupted", run.GetProperty("phase").GetString());
        Assert.Equal("Bị gián đoạn; chưa có dòng nào được nhập", run.GetProperty("phaseTitle").GetString());
    }

    private sealed class Recording : IImportProgress
    {
        public List<ImportPhase> Phases { get; } = [];
        public List<(long Read, long Total, long Lines)> Reads { get; } = [];

        public void Phase(ImportPhase phase) => Phases.Add(phase);

        public void Read(long read, long total, long lines) => Reads.Add((read, total, lines));
    }
}

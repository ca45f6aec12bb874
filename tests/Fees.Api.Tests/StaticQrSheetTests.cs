using System.Net;
using System.Text.RegularExpressions;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests;

/// <summary>
/// Issue 9: the printable sheet of an organization's static codes is paged (an organization of 200,000 members once
/// took 297 s and 800 MB, still running after the client had gone): each page draws at most its page size of codes,
/// and paging arguments out of bounds are a 400.
/// </summary>
public sealed partial class StaticQrSheetTests(FeesApp app) : IClassFixture<FeesApp>
{
    private string Sheet => $"/chi-bo/{app.Demo.CellCode}/ma-qr-tinh";

    [GeneratedRegex("data-member-no=\"([^\"]+)\"")]
    private static partial Regex SlipPattern();

    private static List<string> Slips(string html) => SlipPattern().Matches(html).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task StaticQrSheet_DrawsAtMostThePageSize_AndItsPagesTogetherHoldEveryMemberOnce()
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        var everyone = Slips(await treasurer.GetStringAsync(Sheet + "?pageSize=200"));
        Assert.Contains(app.Demo.CellMemberNo, everyone);
        Assert.True(everyone.Count >= 3, $"{everyone.Count} members in the cell");

        var seen = new List<string>();
        int pages = (everyone.Count + 1) / 2;
        for (int page = 1; page <= pages; page++)
        {
            var response = await treasurer.GetAsync($"{Sheet}?page={page}&pageSize=2");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var slips = Slips(await response.Content.ReadAsStringAsync());
            Assert.Equal(Math.Min(2, everyone.Count - ((page - 1) * 2)), slips.Count);
            seen.AddRange(slips);
        }
        Assert.Equal(everyone, seen);
        Assert.Empty(Slips(await treasurer.GetStringAsync($"{Sheet}?page={pages + 1}&pageSize=2")));

        // The default page holds at most its default size.
        Assert.True(Slips(await treasurer.GetStringAsync(Sheet)).Count <= Fees.Api.Pages.StaticQrSheetModel.DefaultPageSize);
    }

    [Theory]
    [InlineData("page=2147483647", "page")]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=99999999999", "page")]
    [InlineData("page=mot", "page")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=2147483647", "pageSize")]
    public async Task StaticQrSheet_PageBeyondBounds_Is400_NamingTheArgument_AndDrawsNothing(string query, string field)
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");

        var response = await treasurer.GetAsync($"{Sheet}?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"data-field=\"{field}\"", html, StringComparison.Ordinal);
        Assert.Empty(Slips(html));
    }
}

/// <summary>
/// Issue 9's probe itself: the demo cell grown to 200,000 more members (on a database of its own). A page reads and
/// draws only its own members, in Vietnamese order by given name, and a client that leaves stops the drawing.
/// </summary>
public sealed partial class StaticQrSheetOfAHugeOrgTests(FeesApp app) : IClassFixture<FeesApp>, IAsyncLifetime
{
    public const int Added = 200_000;

    private static readonly string[] FamilyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];

    // Given names whose Vietnamese order differs from their byte order (Â after Á, Đ after D, Ý last).
    private static readonly string[] GivenNames = ["Ý", "Đức", "Ân", "Ánh", "An", "Dũng", "Bình", "Chi", "Giang", "Hà"];

    /// <summary>Places <see cref="Added"/> more members in the demo cell by set-based SQL, once per database.</summary>
    public async Task InitializeAsync()
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            with added as (
              insert into members (member_no, full_name, birth_date, category, sex, status, party_joined_on, created_at, updated_at)
              select '7' || lpad(g::text, 7, '0'),
                     (@families)[1 + g % cardinality(@families)] || ' Văn ' || (@given)[1 + (g / 7) % cardinality(@given)],
                     t.birth_date, t.category, t.sex, t.status, t.party_joined_on, t.created_at, t.updated_at
              from generate_series(1, @added) g, (select * from members where member_no = @template) t
              where not exists (select 1 from members where member_no = '70000001')
              returning id)
            insert into member_placements (member_id, org_id, kind, valid_from, recorded_at, recorded_by)
            select added.id, (select id from orgs where code = @cell), 'official', date '2020-01-01', now(), 'test' from added;
            """, conn) { CommandTimeout = 600 };
        cmd.Parameters.AddWithValue("families", FamilyNames);
        cmd.Parameters.AddWithValue("given", GivenNames);
        cmd.Parameters.AddWithValue("added", Added);
        cmd.Parameters.AddWithValue("template", app.Demo.CellMemberNo);
        cmd.Parameters.AddWithValue("cell", app.Demo.CellCode);
        if (await cmd.ExecuteNonQueryAsync() > 0)
        {
            await using var analyze = new NpgsqlCommand("analyze members; analyze member_placements;", conn);
            await analyze.ExecuteNonQueryAsync();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private string Sheet => $"/chi-bo/{app.Demo.CellCode}/ma-qr-tinh";

    [GeneratedRegex("<div class=\"name\">([^<]+)</div>")]
    private static partial Regex NamePattern();

    [GeneratedRegex("id=\"sheet-count\">(\\d+) đảng viên · trang (\\d+)/(\\d+)")]
    private static partial Regex CountPattern();

    private static List<string> GivenNamesOn(string html) =>
        NamePattern().Matches(html).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value).Split(' ')[^1]).ToList();

    [Fact]
    public async Task StaticQrSheet_OfAnOrganizationWith200000Members_IsPaged_InVietnameseOrder_AndEachPageIsQuick()
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        string first = await treasurer.GetStringAsync(Sheet);
        var elapsed = clock.Elapsed;

        var count = CountPattern().Match(first);
        Assert.True(count.Success, "the sheet says how many members and pages");
        int total = int.Parse(count.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int pages = int.Parse(count.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total > Added, $"{total} members");
        Assert.Equal((total + Pages.StaticQrSheetModel.DefaultPageSize - 1) / Pages.StaticQrSheetModel.DefaultPageSize, pages);
        Assert.Equal(Pages.StaticQrSheetModel.DefaultPageSize, GivenNamesOn(first).Count);
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"the first page took {elapsed}");
        // Vietnamese order by given name: An before Ánh before Ân (not the byte order, which puts Ân and Ánh after every B).
        Assert.All(GivenNamesOn(first), given => Assert.Equal("An", given));

        var vi = StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("vi-VN"), ignoreCase: false);
        var middle = GivenNamesOn(await treasurer.GetStringAsync($"{Sheet}?page={total / 200 / 2}&pageSize=200"));
        Assert.Equal(200, middle.Count);
        Assert.True(middle.SequenceEqual(middle.Order(vi)), string.Join(", ", middle.Distinct()));

        string last = await treasurer.GetStringAsync($"{Sheet}?page={pages}");
        int onLast = total - ((pages - 1) * Pages.StaticQrSheetModel.DefaultPageSize);
        Assert.Equal(onLast, GivenNamesOn(last).Count);
        Assert.DoesNotContain("rel=\"next\"", last, StringComparison.Ordinal);
        Assert.Empty(GivenNamesOn(await treasurer.GetStringAsync($"{Sheet}?page={pages + 1}")));
    }

    [Fact]
    public async Task StaticQrSheet_StopsDrawing_WhenTheClientLeaves()
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        string path = $"{Sheet}?page=3&pageSize={Pages.StaticQrSheetModel.MaxPageSize}";
        int before = await Traced(499);

        // The client gives up while the page reads and draws its 200 codes.
        using var leave = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => treasurer.GetAsync(path, leave.Token));

        // The page stops (the request's token reaches the database read and the drawing loop): it ends as a closed
        // request (499), not as a page drawn to the end for nobody.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await Traced(499) == before && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }
        Assert.Equal(before + 1, await Traced(499));

        // A store read with a token already cancelled reads nothing.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.WithScopeAsync(async s =>
        {
            var sheets = s.GetRequiredService<Fees.Persistence.Payments.StaticQrSheets>();
            long orgId = await s.GetRequiredService<Fees.Persistence.FeesDbContext>().Orgs.Where(o => o.Code == app.Demo.CellCode).Select(o => o.Id).SingleAsync();
            using var gone = new CancellationTokenSource();
            await gone.CancelAsync();
            await foreach (var _ in sheets.Page(orgId, 1, 200, gone.Token))
            {
            }
            return 0;
        }));
    }

    /// <summary>How many reads of the cell's sheet the access trace holds with this status.</summary>
    private async Task<int> Traced(int status)
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select count(*) from access_trace where action = 'static_qr.read' and target = @cell and status = @status", conn);
        cmd.Parameters.AddWithValue("cell", app.Demo.CellCode);
        cmd.Parameters.AddWithValue("status", (short)status);
        return (int)(long)(await cmd.ExecuteScalarAsync())!;
    }
}

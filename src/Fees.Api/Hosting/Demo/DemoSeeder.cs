using System.Text;
using Fees.DemoData;
using Fees.Domain.Accounts;
using Fees.Domain.Time;
using Fees.Persistence;
using Fees.Persistence.Accounts;
using Fees.Persistence.Dues;
using Fees.Persistence.Imports;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Hosting.Demo;

/// <summary>A demo user of the embedded default, listed in the README.</summary>
public sealed record DemoUser(string Username, string Password, string Role, string? OrgCode, string? MemberNo, string Description);

/// <summary>
/// Seeds the generated demo province into an empty database through the same imports office staff use (so the
/// demo data passes the same checks), then one demo user per role.
/// </summary>
public sealed class DemoSeeder(FeesDbContext db, ImportService imports, Users users, DuesGeneration generation, TimeProvider clock, ILogger<DemoSeeder> log)
{
    public static IReadOnlyList<DemoUser> Users(DemoWellKnown w) =>
    [
        new("dangvien", "dangvien-demo", RoleCodes.Member, null, w.CellMemberNo, "Đảng viên của chi bộ " + w.CellCode),
        new("thuquy", "thuquy-demo", RoleCodes.Treasurer, w.CellCode, null, "Chi ủy viên phụ trách thu đảng phí chi bộ " + w.CellCode),
        new("vanphong", "vanphong-demo", RoleCodes.Office, w.CommuneCommitteeCode, null, "Văn phòng Đảng ủy " + w.CommuneCommitteeCode),
        new("kiemtra", "kiemtra-demo", RoleCodes.Auditor, w.ProvinceCode, null, "Ủy ban kiểm tra tỉnh ủy " + w.ProvinceCode),
    ];

    public static DemoProvinceGenerator Generator(int members, TimeProvider clock) =>
        new(new DemoProvinceOptions { Members = members, LastIncomePeriod = VietnamTime.CurrentPeriod(clock), ParentCode = DemoCentre.Code });

    public async Task SeedIfEmpty(int members, bool withStatements, CancellationToken ct)
    {
        if (await db.Orgs.AnyAsync(ct))
        {
            return;
        }
        var generator = Generator(members, clock);
        log.LogInformation("Seeding the demo province {ProvinceCode}: {Orgs} organizations, {Members} members", generator.Options.ProvinceCode, generator.OrgCount, generator.MemberCount);
        // The centre first: the province sits under it and remits its share to it at its close.
        await Import(ImportKind.Orgs, DemoCentre.WriteOrgs, ct);
        await Import(ImportKind.Orgs, w => generator.WriteOrgs(w), ct);
        await Import(ImportKind.Members, w => generator.WriteMembers(w), ct);
        await Import(ImportKind.Income, w => generator.WriteIncome(w), ct);
        foreach (var u in Users(generator.WellKnown))
        {
            var result = await users.Create(u.Username, u.Password, u.Role, u.OrgCode, u.MemberNo, Actor.System, ct);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Demo user {u.Username} could not be created.");
            }
        }
        if (withStatements)
        {
            // The months already due, so a newcomer's demo member sees what they owe at once.
            for (var period = Period.FirstOnSystem; period <= VietnamTime.CurrentPeriod(clock); period = period.Next)
            {
                var result = await generation.Generate(period, Actor.System, ct);
                log.LogInformation("Demo dues {Period}: {Created} statements", period, result.Succeeded ? result.Value.Created : 0);
            }
        }
        log.LogInformation("Demo users: {Users}", string.Join(", ", Users(generator.WellKnown).Select(u => $"{u.Username}/{u.Password} ({u.Role})")));
    }

    private async Task Import(ImportKind kind, Action<TextWriter> write, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        {
            write(writer);
        }
        buffer.Position = 0;
        var outcome = await imports.Import(kind, buffer, Actor.System, ct);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"The demo {kind} file was rejected: " +
                string.Join("; ", outcome.Errors.Take(10).Select(e => $"line {e.Line} {e.Column}: {e.Message}")));
        }
    }
}

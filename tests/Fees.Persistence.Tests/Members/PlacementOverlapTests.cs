using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Fees.Testing;
using Npgsql;

namespace Fees.Persistence.Tests.Members;

/// <summary>One official placement to write: <c>[From, From + Days)</c> from an origin day, open when Days is null.</summary>
public sealed record PlacementSpan(int From, int? Days)
{
    public int To => Days is { } d ? From + d : int.MaxValue;

    public bool Overlaps(PlacementSpan other) => From < other.To && other.From < To;
}

/// <summary>
/// "A member has one official placement at a time", held by the database as the service's role writes
/// (<c>20261203090000_PlacementOverlapsBySet</c>: a unique open placement and a set-based check per statement, in place
/// of the GiST exclusion constraint): any sequence of official placements written one statement each is accepted exactly
/// when it overlaps none accepted before, and a statement of several exactly when they overlap neither each other nor what
/// is there, refused with the exclusion constraint's SQLSTATE; an update that stretches a placement over another is refused;
/// temporary placements and other members are not in the way; twenty concurrent writers of overlapping placements of one
/// member leave one; and the role cannot switch the check off.
/// </summary>
public sealed class PlacementOverlapTests(FeesApp app) : IClassFixture<FeesApp>
{
    private static readonly DateOnly Origin = new(2001, 1, 1);
    private static long _nextMember = 9_100_000_000;

    public static Arbitrary<PlacementSpan[]> Sequences { get; } = Arb.From(
        Gen.Choose(1, 12).SelectMany(n => (
            from start in Gen.Choose(0, 60)
            from open in Gen.Frequency((1, Gen.Constant(true)), (4, Gen.Constant(false)))
            from days in Gen.Choose(1, 20)
            select new PlacementSpan(start, open ? null : days)).ArrayOf(n)));

    [Property(MaxTest = 40)]
    public Property AnySequence_WrittenOneByOne_IsAcceptedExactlyWhereItOverlapsNothingAcceptedBefore() =>
        Prop.ForAll(Sequences, spans => OneByOne(spans).GetAwaiter().GetResult());

    [Property(MaxTest = 40)]
    public Property AnySetWrittenInOneStatement_IsAcceptedExactlyWhenNoTwoOverlap_NorWithWhatIsThere() =>
        Prop.ForAll(Sequences, Sequences, (before, together) => InOneStatement(before, together).GetAwaiter().GetResult());

    private async Task<bool> OneByOne(PlacementSpan[] spans)
    {
        long member = Interlocked.Increment(ref _nextMember);
        long org = (await app.Org(app.Demo.CellCode)).Id;
        await using var conn = await Open(app.Database.App);
        var accepted = new List<PlacementSpan>();
        foreach (var span in spans)
        {
            bool expected = !accepted.Any(span.Overlaps);
            bool actual = await TryInsert(conn, member, org, "official", [span]);
            if (expected != actual)
            {
                return false;
            }
            if (actual)
            {
                accepted.Add(span);
            }
        }
        return await Count(conn, member) == accepted.Count;
    }

    private async Task<bool> InOneStatement(PlacementSpan[] before, PlacementSpan[] together)
    {
        long member = Interlocked.Increment(ref _nextMember);
        long org = (await app.Org(app.Demo.CellCode)).Id;
        await using var conn = await Open(app.Database.App);
        var there = new List<PlacementSpan>();
        foreach (var span in before.Where(s => !there.Any(s.Overlaps)).ToList())
        {
            if (!there.Any(span.Overlaps))
            {
                Assert.True(await TryInsert(conn, member, org, "official", [span]));
                there.Add(span);
            }
        }
        bool expected = !together.Any(s => there.Any(s.Overlaps))
                        && !together.Select((s, i) => together.Skip(i + 1).Any(s.Overlaps)).Any(o => o);
        bool actual = await TryInsert(conn, member, org, "official", together);
        return expected == actual && await Count(conn, member) == there.Count + (actual ? together.Length : 0);
    }

    [Fact]
    public async Task ClosingAndMovingOn_IsAccepted_ButAnUpdateThatStretchesOverTheNextPlacement_IsRefused()
    {
        long member = Interlocked.Increment(ref _nextMember);
        long org = (await app.Org(app.Demo.CellCode)).Id;
        await using var conn = await Open(app.Database.App);
        Assert.True(await TryInsert(conn, member, org, "official", [new PlacementSpan(0, null)]));
        // A move: the open placement closes on the day the next one opens ('[)': the same day is no overlap).
        await Execute(conn, "update member_placements set valid_to = @d where member_id = @m and valid_to is null",
            ("d", Origin.AddDays(10)), ("m", member));
        Assert.True(await TryInsert(conn, member, org, "official", [new PlacementSpan(10, null)]));
        // Reopening the first, or starting the second a day earlier, overlaps.
        Assert.Equal(PostgresErrorCodes.ExclusionViolation, await Refusal(conn,
            "update member_placements set valid_to = @d where member_id = @m and valid_from = @f", ("d", Origin.AddDays(11)), ("m", member), ("f", Origin)));
        Assert.Equal(PostgresErrorCodes.ExclusionViolation, await Refusal(conn,
            "update member_placements set valid_from = @d where member_id = @m and valid_from = @f", ("d", Origin.AddDays(9)), ("m", member), ("f", Origin.AddDays(10))));
        // Two open placements: the unique open placement refuses the second whatever its start.
        Assert.Equal(PostgresErrorCodes.UniqueViolation, await Refusal(conn, """
            insert into member_placements (member_id, org_id, kind, valid_from, recorded_at, recorded_by)
            values (@m, @o, 'official', @d, now(), 'test')
            """, ("m", member), ("o", org), ("d", Origin.AddDays(-400))));
        // A temporary placement beside the official one, and another member on the same days, are not in the way.
        Assert.True(await TryInsert(conn, member, org, "temporary", [new PlacementSpan(12, 5)]));
        Assert.True(await TryInsert(conn, Interlocked.Increment(ref _nextMember), org, "official", [new PlacementSpan(0, null)]));
        Assert.Equal(2, await Count(conn, member));
    }

    [Fact]
    public async Task TwentyConcurrentWritersOfOverlappingPlacementsOfOneMember_LeaveOne()
    {
        long org = (await app.Org(app.Demo.CellCode)).Id;
        long member;
        await using (var conn = await Open(app.Database.App))
        {
            await using var cmd = new NpgsqlCommand("select id from members order by id limit 1", conn);
            member = (long)(await cmd.ExecuteScalarAsync())!;
        }
        // Closed placements in 1850, each overlapping every other (before the imported history, which starts in 1900): no unique key is
        // involved, only the check, which the member's lock makes see the others' committed rows.
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int ready = 0;
        var writers = Enumerable.Range(0, 20).Select(async i =>
        {
            await using var conn = await Open(app.Database.App);
            await using var tx = await conn.BeginTransactionAsync();
            if (Interlocked.Increment(ref ready) == 20)
            {
                go.SetResult(); // every writer has its connection: they write at once
            }
            await go.Task;
            try
            {
                await Execute(conn, """
                    insert into member_placements (member_id, org_id, kind, valid_from, valid_to, recorded_at, recorded_by)
                    values (@m, @o, 'official', @f, @t, now(), 'test')
                    """, ("m", member), ("o", org), ("f", new DateOnly(1850, 1, 1).AddDays(i)), ("t", new DateOnly(1850, 3, 1).AddDays(i)));
                await Task.Delay(200); // hold the transaction open while the others write
                await tx.CommitAsync();
                return true;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ExclusionViolation)
            {
                return false;
            }
        }).ToList();
        var outcomes = await Task.WhenAll(writers);
        Assert.Single(outcomes, o => o);
        await using var check = await Open(app.Database.App);
        await using var count = new NpgsqlCommand("select count(*) from member_placements where member_id = @m and valid_from < date '1851-01-01'", check);
        count.Parameters.AddWithValue("m", member);
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task TheServicesRole_CannotSwitchTheCheckOff()
    {
        await using var conn = await Open(app.Database.App);
        foreach (string sql in new[]
                 {
                     "alter table member_placements disable trigger tr_member_placements_no_overlap_insert",
                     "drop trigger tr_member_placements_no_overlap_update on member_placements",
                     "create or replace function member_placements_no_overlap() returns trigger language plpgsql as $$ begin return null; end $$",
                     "drop index ux_member_placements_open_official",
                     "set session_replication_role = replica",
                 })
        {
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, await Refusal(conn, sql));
        }
    }

    /// <summary>Writes <paramref name="spans"/> for the member in one statement; false when the database refused it for an overlap.</summary>
    private static async Task<bool> TryInsert(NpgsqlConnection conn, long member, long org, string kind, IReadOnlyList<PlacementSpan> spans)
    {
        await using var cmd = new NpgsqlCommand("""
            insert into member_placements (member_id, org_id, kind, valid_from, valid_to, recorded_at, recorded_by)
            select @m, @o, @k, @origin + f, @origin + t, now(), 'test' from unnest(@from, @to) as s(f, t)
            """, conn);
        cmd.Parameters.AddWithValue("m", member);
        cmd.Parameters.AddWithValue("o", org);
        cmd.Parameters.AddWithValue("k", kind);
        cmd.Parameters.AddWithValue("origin", Origin);
        cmd.Parameters.AddWithValue("from", spans.Select(s => s.From).ToArray());
        cmd.Parameters.AddWithValue("to", spans.Select(s => s.Days is null ? (int?)null : s.To).ToArray());
        try
        {
            await cmd.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.ExclusionViolation or PostgresErrorCodes.UniqueViolation)
        {
            return false;
        }
    }

    private static async Task<long> Count(NpgsqlConnection conn, long member)
    {
        await using var cmd = new NpgsqlCommand("select count(*) from member_placements where member_id = @m and kind = 'official'", conn);
        cmd.Parameters.AddWithValue("m", member);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<string?> Refusal(NpgsqlConnection conn, string sql, params (string Name, object Value)[] parameters)
    {
        try
        {
            await Execute(conn, sql, parameters);
            return null;
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }

    private static async Task Execute(NpgsqlConnection conn, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> Open(string connectionString)
    {
        var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        return conn;
    }
}

using System.Runtime.CompilerServices;
using Fees.Domain.Time;
using Npgsql;

namespace Fees.Persistence.Payments;

/// <summary>A member on an organization's static-code sheet.</summary>
public sealed record SheetMember(long Id, string MemberNo, string FullName);

/// <summary>
/// Who is on an organization's printable sheet of static codes: the members who pay there today (placed there, unless
/// a temporary placement elsewhere takes precedence, as for dues), ordered by given name in Vietnamese, read one page at
/// a time from the database (an organization of 200,000 members never sits in memory) and streamed row by row, so a
/// client that leaves stops the read.
/// </summary>
public sealed class StaticQrSheets(NpgsqlDataSource dataSource, TimeProvider clock)
{
    // The candidates are the members with a placement here in force today (the index on org_id); each is kept when its
    // dues placement today (temporary first, then the latest start: MemberPlacement.DuesPlacementOn) is here.
    private const string Here = """
        from members m
        where m.id in (select p.member_id from member_placements p
                       where p.org_id = @org and p.valid_from <= @today and (p.valid_to is null or p.valid_to > @today))
          and @org = (select pl.org_id from member_placements pl
                      where pl.member_id = m.id and pl.valid_from <= @today and (pl.valid_to is null or pl.valid_to > @today)
                      order by (pl.kind = 'temporary') desc, pl.valid_from desc, pl.id desc limit 1)
        """;

    /// <summary>How many members pay at <paramref name="orgId"/> today.</summary>
    public async Task<int> Count(long orgId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("select count(*) " + Here);
        Bind(cmd, orgId);
        return (int)(long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>One page (1-based) of <paramref name="pageSize"/> members, by given name, then full name, then card number.</summary>
    public async IAsyncEnumerable<SheetMember> Page(long orgId, int page, int pageSize, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        await using var cmd = dataSource.CreateCommand($"""
            select m.id, m.member_no, m.full_name {Here}
            order by split_part(m.full_name, ' ', -1) collate fees_vi, m.full_name collate fees_vi, m.member_no
            offset @offset limit @limit
            """);
        Bind(cmd, orgId);
        cmd.Parameters.AddWithValue("offset", (long)(page - 1) * pageSize);
        cmd.Parameters.AddWithValue("limit", pageSize);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new SheetMember(reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
        }
    }

    private void Bind(NpgsqlCommand cmd, long orgId)
    {
        cmd.Parameters.AddWithValue("org", orgId);
        cmd.Parameters.AddWithValue("today", VietnamTime.Today(clock));
    }
}

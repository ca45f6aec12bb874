using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// "One official placement at a time" held by a unique btree and a set-based check per statement instead of the GiST
    /// exclusion constraint <c>ex_member_placements_one_official</c>: each row the constraint's index took cost about
    /// 85 µs on the loaded scale-0.1 nation (50,000 placements in 4.75 s with it, 0.35 s without), about 60% of the
    /// national member import (docs/performance.md, "National scale"). The rule is unchanged, and still the database's:
    /// <list type="bullet">
    /// <item>the open official placement is unique per member and province (<c>ux_member_placements_open_official</c>):
    /// two concurrent first placements or moves of one member cannot both leave one open;</item>
    /// <item>after every insert and every update of placements, one statement compares the statement's official rows with
    /// the member's other official placements in the same province and refuses any overlap of their
    /// <c>[valid_from, valid_to)</c>, with the constraint's SQLSTATE (23P01) and name, so callers are unchanged. The
    /// writing transaction first locks the members concerned (<c>for no key update</c>, in id order), so two
    /// transactions writing placements of one member check one after the other and the second sees the first's rows.</item>
    /// </list>
    /// The check compares the statement's rows with each other, and each with its two neighbours in the member's history,
    /// read through the btree <c>(member_id, valid_from)</c> in its order: two probes per written row, on any statistics
    /// (an <c>exists</c> over the overlap condition was read as a sequential scan of a never-analyzed table, once per row).
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261203090000_PlacementOverlapsBySet")]
    public partial class PlacementOverlapsBySet : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create unique index ux_member_placements_open_official on member_placements (member_id, province_id)
                  where kind = 'official' and valid_to is null;

                create function member_placements_no_overlap() returns trigger language plpgsql as $$
                begin
                  -- The members concerned, locked in id order: a concurrent writer of the same member's placements waits
                  -- here until this transaction ends, and its checks below then see this one's rows.
                  perform 1 from (select distinct member_id from new_rows where kind = 'official' order by member_id) n
                  cross join lateral (select 1 from members m where m.id = n.member_id for no key update of m) l;
                  if exists (
                       -- two of the statement's own rows (a hash join of the statement's rows, no table read) …
                       select 1 from new_rows a join new_rows b
                         on b.member_id = a.member_id and b.province_id = a.province_id and b.id <> a.id
                       where a.kind = 'official' and b.kind = 'official'
                         and a.valid_from < coalesce(b.valid_to, 'infinity'::date) and b.valid_from < coalesce(a.valid_to, 'infinity'::date))
                     or exists (
                       -- … or one of them and its neighbours in the member's history: the placement that starts last on or
                       -- before it must end by its start, and the one that starts first on or after it must start after its
                       -- end. Two probes of the btree (member_id, valid_from) per row, in the index's order (so read by it
                       -- on any statistics); with the rows already there disjoint and the statement's own rows disjoint,
                       -- any overlap shows in one of them.
                       select 1 from new_rows n
                       where n.kind = 'official'
                         and (coalesce((select coalesce(p.valid_to, 'infinity'::date) from member_placements p
                                        where p.member_id = n.member_id and p.valid_from <= n.valid_from and p.id <> n.id
                                          and p.province_id = n.province_id and p.kind = 'official'
                                        order by p.member_id desc, p.valid_from desc limit 1), '-infinity'::date) > n.valid_from
                              or coalesce((select p.valid_from from member_placements p
                                           where p.member_id = n.member_id and p.valid_from >= n.valid_from and p.id <> n.id
                                             and p.province_id = n.province_id and p.kind = 'official'
                                           order by p.member_id, p.valid_from limit 1), 'infinity'::date) < coalesce(n.valid_to, 'infinity'::date))) then
                    raise exception 'conflicting key value violates exclusion constraint "ex_member_placements_one_official"'
                      using errcode = 'exclusion_violation', constraint = 'ex_member_placements_one_official',
                            table = 'member_placements', schema = 'public',
                            detail = 'A member has one official placement at a time: the written placement overlaps another of the member''s.';
                  end if;
                  return null;
                end $$;

                create trigger tr_member_placements_no_overlap_insert after insert on member_placements
                  referencing new table as new_rows for each statement execute function member_placements_no_overlap();
                create trigger tr_member_placements_no_overlap_update after update on member_placements
                  referencing new table as new_rows for each statement execute function member_placements_no_overlap();

                alter table member_placements drop constraint ex_member_placements_one_official;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                alter table member_placements add constraint ex_member_placements_one_official
                  exclude using gist (province_id with =, member_id with =, daterange(valid_from, valid_to, '[)') with &&) where (kind = 'official');
                drop trigger tr_member_placements_no_overlap_update on member_placements;
                drop trigger tr_member_placements_no_overlap_insert on member_placements;
                drop function member_placements_no_overlap();
                drop index ux_member_placements_open_official;
                """);
        }
    }
}

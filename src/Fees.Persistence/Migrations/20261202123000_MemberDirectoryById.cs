using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// Every lookup of a distributed table names its whole key (docs/scaling.md). A member's key is
    /// <c>(id, province_id)</c> and the province moves with the member, so a statement that knows only a member's id
    /// (a payment reference carries the id) asks the directory <c>member_numbers</c> (a reference table: one row per
    /// member, its number, id and current province) for the province first; this unique index lets it answer by id in
    /// one probe. <c>members_follow_placement()</c>, the trigger that moves a member's row to the province of a new
    /// official placement, finds the member's row by its whole key through the directory too: by the id alone, on a
    /// table whose statistics are missing, the planner read the whole members table for each placement statement.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202123000_MemberDirectoryById")]
    public partial class MemberDirectoryById : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create unique index ix_member_numbers_member_id on member_numbers (member_id);

                create or replace function members_follow_placement() returns trigger language plpgsql as $$
                begin
                  update members m set province_id = n.province_id
                  from (select distinct on (member_id) member_id, province_id from new_rows
                        where kind = 'official' and valid_to is null order by member_id, valid_from desc) n
                  join member_numbers d on d.member_id = n.member_id
                  where m.id = d.member_id and m.province_id = d.province_id and d.province_id <> n.province_id;
                  return null;
                end $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create or replace function members_follow_placement() returns trigger language plpgsql as $$
                begin
                  update members m set province_id = n.province_id
                  from (select distinct on (member_id) member_id, province_id from new_rows
                        where kind = 'official' and valid_to is null order by member_id, valid_from desc) n
                  where m.id = n.member_id and m.province_id is distinct from n.province_id;
                  return null;
                end $$;
                drop index ix_member_numbers_member_id;
                """);
        }
    }
}

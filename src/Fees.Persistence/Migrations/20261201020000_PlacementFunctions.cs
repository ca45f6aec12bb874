using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// Rules that several set-based statements share get one home in the database, as inlinable SQL functions:
    /// where a member pays on a date (<c>dues_placements_on</c>: temporary activity first, then the latest start, as
    /// <c>MemberPlacement.DuesPlacementOn</c> says) the organizations of a subtree (<c>orgs_in_subtree</c>), and each member's open official placement with its organization
    /// (<c>current_official_placements</c>).
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261201020000_PlacementFunctions")]
    public partial class PlacementFunctions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create function dues_placements_on(d date) returns table (member_id bigint, org_id bigint, kind text)
                language sql stable parallel safe as $$
                  select distinct on (p.member_id) p.member_id, p.org_id, p.kind::text
                  from member_placements p
                  where p.valid_from <= d and (p.valid_to is null or p.valid_to > d)
                  order by p.member_id, (p.kind = 'temporary') desc, p.valid_from desc
                $$;

                create view current_official_placements as
                  select p.id as placement_id, p.member_id, m.member_no, p.org_id, o.code as org_code, o.path as org_path, p.valid_from
                  from member_placements p
                  join members m on m.id = p.member_id
                  join orgs o on o.id = p.org_id
                  where p.kind = 'official' and p.valid_to is null;

                create function orgs_in_subtree(prefix text) returns table (id bigint)
                language sql stable parallel safe as $$
                  select o.id from orgs o where starts_with(o.path, prefix)
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop function orgs_in_subtree(text);
                drop view current_official_placements;
                drop function dues_placements_on(date);
                """);
        }
    }
}

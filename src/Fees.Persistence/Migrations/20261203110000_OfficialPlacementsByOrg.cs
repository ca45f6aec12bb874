using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// An organization's official placements with their dates and province (<c>ix_member_placements_org_official</c>), so
    /// that B01/ĐP counts a province's members on a day from the index alone, one organization at a time. Without it the
    /// count read every placement of the nation (a parallel sequential scan of 600 MB at national scale; NationalBench
    /// b01 --scale 1 with the OS cache dropped: 4.4–4.9 s).
    /// <para>
    /// An index led by <c>province_id</c> was tried first and reverted (docs/performance.md): on a table never analyzed
    /// (a load) the planner cannot tell a province from a member, and chose it for the member lookups that name
    /// <c>(member_id, province_id)</c> (the imports' open placement, the overlap check's probes), reading the member's
    /// whole province per row: the national load's member import went from 55 s to 802 s at scale 0.1, and
    /// <c>FreshStatisticsPlanTests</c> now fails on it (200,010,000 rows touched by the overlap check for a 10,000-member
    /// file). Led by <c>org_id</c>, this index only competes with <c>ix_member_placements_org_id</c>, which reads the same
    /// organization's rows.
    /// </para>
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261203110000_OfficialPlacementsByOrg")]
    public partial class OfficialPlacementsByOrg : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create index if not exists ix_member_placements_org_official on member_placements (org_id)
                  include (valid_from, valid_to, province_id) where kind = 'official';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop index if exists ix_member_placements_org_official;");
        }
    }
}

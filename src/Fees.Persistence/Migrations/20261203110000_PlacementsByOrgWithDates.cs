using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// <c>ix_member_placements_org_id</c> carries what B01/ĐP counts, <c>INCLUDE (kind, valid_from, valid_to,
    /// province_id)</c>, so that a province's members on a day are counted organization by organization from the index
    /// alone. Without it the count read every placement of the nation (a parallel sequential scan of 600 MB at national
    /// scale; NationalBench b01 --scale 1 with the OS cache dropped: 4.4–4.9 s). Same name, same key: every query that
    /// read the placements of an organization reads them as before.
    /// <para>
    /// Not a partial index, on purpose, and not led by the province. Both were tried (docs/performance.md). On a table
    /// never analyzed (the national load) the planner cannot tell a province from a member, nor a predicate from a key:
    /// <list type="bullet">
    /// <item>an index <c>(province_id, org_id) WHERE kind = 'official'</c> was chosen for the member lookups that name
    /// <c>(member_id, province_id)</c>, reading the member's whole province per row (the member import at scale 0.1 went
    /// from 55 s to 802 s; reverted in fe16fee);</item>
    /// <item>an index <c>(org_id) … WHERE kind = 'official'</c> was read whole, for its predicate, in a <c>BitmapAnd</c>
    /// with the member's btree by each probe of the placements' overlap check (<c>member_placements_no_overlap</c>):
    /// the same stall.</item>
    /// </list>
    /// A plain index led by <c>org_id</c> has no predicate to match and no key a member lookup names.
    /// <c>FreshStatisticsPlanTests</c> bounds what one statement of a whole import touches (the first index above made the
    /// overlap check touch 200,010,000 rows for 10,000 members).
    /// </para>
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261203110000_PlacementsByOrgWithDates")]
    public partial class PlacementsByOrgWithDates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop index ix_member_placements_org_id;
                create index ix_member_placements_org_id on member_placements (org_id) include (kind, valid_from, valid_to, province_id);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop index ix_member_placements_org_id;
                create index ix_member_placements_org_id on member_placements (org_id);
                """);
        }
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// Intervals that must not overlap are refused by the database, so 20 identical concurrent calls make one row:
    /// a member's official placements (one organization at a time), committee decisions (one per period), and
    /// voluntary amounts (one per period). Exclusion constraints over date ranges (btree_gist, a trusted extension).
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261201030000_NoOverlaps")]
    public partial class NoOverlaps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create extension if not exists btree_gist;

                alter table member_placements add constraint ex_member_placements_one_official
                  exclude using gist (member_id with =, daterange(valid_from, valid_to, '[)') with &&) where (kind = 'official');

                alter table fee_decisions add constraint ex_fee_decisions_no_overlap
                  exclude using gist (member_id with =, daterange(valid_from, valid_to, '[]') with &&);

                alter table voluntary_amounts add constraint ex_voluntary_amounts_no_overlap
                  exclude using gist (member_id with =, daterange(valid_from, valid_to, '[]') with &&);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                alter table voluntary_amounts drop constraint ex_voluntary_amounts_no_overlap;
                alter table fee_decisions drop constraint ex_fee_decisions_no_overlap;
                alter table member_placements drop constraint ex_member_placements_one_official;
                """);
        }
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// A province's official placements: B01/ĐP counts a province's members from <c>member_placements</c>, and without an
    /// index leading with the province it read the whole nation's placements in parallel (600 MB at scale 1) for Hà
    /// Nội's 642,462. A province's placements lie together (each committee's file is imported at once), so this index's
    /// bitmap reads about that province's share of the pages. NationalBench <c>b01 --scale 1</c>, caches dropped before
    /// each run: 4.42–4.91 s first and 1.59–1.61 s after without it, 2.57–2.78 s and 0.98–1.05 s with it
    /// (docs/performance.md). Its entries arrive in import order, so it appends rather than splits.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261203100000_PlacementsByProvince")]
    public partial class PlacementsByProvince : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("create index if not exists ix_member_placements_province_org on member_placements (province_id, org_id) where kind = 'official';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop index if exists ix_member_placements_province_org;");
        }
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// A province's reports (B01/ĐP, readiness) read the province's statements of each month in the range; with no index
    /// leading with <c>province_id</c> each month's partition was read whole and filtered down to the province (a ninth
    /// of the nation for Hà Nội; NationalBench b01 at scale 0.1: 0.69 s with a hand-made index, 0.24 s without; about
    /// 8 s at scale 1 without it). The index was added once before and withdrawn within the hour: on a month whose
    /// statistics said it was empty, the batch booking's statement update chose it over the primary key and read the
    /// province's month for every row. A month is now analyzed by the generation that fills it
    /// (<c>20261202190000_PeriodStatistics</c>), so the planner sees the primary key for what it is: unique.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202192000_StatementsByProvince")]
    public partial class StatementsByProvince : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("create index if not exists ix_dues_statements_province_period on dues_statements (province_id, period);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop index if exists ix_dues_statements_province_period;");
        }
    }
}

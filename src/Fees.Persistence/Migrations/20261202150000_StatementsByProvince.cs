using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// A province's reports read only its rows (<c>ReportQueries.InProvince</c>), but with no index leading with
    /// <c>province_id</c> each month's partition was read whole and filtered: B01/ĐP of Hà Nội at NationalBench scale 0.1
    /// read all 559,998 statements of each month to keep its 64,246 (490 ms a month; the query 863 ms a call, the report
    /// 1.34 s first and 0.69 s after). With this index, created by hand (<c>--sql</c>), the query took 295 ms a call and
    /// the report 0.56 s first and 0.24 s after (docs/performance.md "National scale"). Not unique, so neither
    /// PostgreSQL's partition-key rule nor Citus's key rule applies; created on the partitioned parent, so every month,
    /// those made later included, has it.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202150000_StatementsByProvince")]
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
            migrationBuilder.Sql("drop index ix_dues_statements_province_period;");
        }
    }
}

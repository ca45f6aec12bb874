using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// A member's page reads all of the member's statements, transferred ones included, so the only index starting
    /// with <c>member_id</c> (unique, partial: <c>status &lt;&gt; 'transferred'</c>) could not serve it and every request
    /// scanned the whole table: NationalBench <c>statements</c> at scale 0.1 (560,000 members) measured about 1.4 s per
    /// query and p50 378 ms / p99 1,535 ms only with this index added by hand (0.063 ms per query), see
    /// docs/performance.md "National scale". Not unique, so Citus's key rules do not apply to it.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202110000_StatementsByMember")]
    public partial class StatementsByMember : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("create index ix_dues_statements_member_all_periods on dues_statements (member_id, period);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop index ix_dues_statements_member_all_periods;");
        }
    }
}

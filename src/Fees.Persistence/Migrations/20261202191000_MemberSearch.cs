using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// The staff's member search (<c>GET /api/members?q=</c>) matches a fragment anywhere in the member number or the
    /// name (ILIKE '%q%'), which no B-tree can answer: on the nation at scale 0.1 a province office's search for one
    /// member's number read every member of Hà Nội, 3.96 s a call (NationalBench pages; ten times that at scale 1). A
    /// trigram index answers both columns' fragments of three characters or more (the number is ten digits, a name's
    /// syllables are words): 43 ms for the same search, the index read once. pg_trgm ships with PostgreSQL (contrib, as
    /// btree_gist already used here) and runs on Citus.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202191000_MemberSearch")]
    public partial class MemberSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create extension if not exists pg_trgm;
                create index ix_members_search on members using gin (member_no gin_trgm_ops, full_name gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop index if exists ix_members_search;");
        }
    }
}

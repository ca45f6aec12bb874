using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// The record of import runs (issue 12 §1: the import page's progress bar), written while an import runs on
    /// connections of its own outside the import's transaction, so any instance of the service can answer how far it
    /// is. The id is the client's (or the server's) uuid: the primary key is what refuses a second start with the same
    /// id. Runs older than 30 days are deleted by the next start (<c>ImportRuns.Kept</c>), by <c>started_at</c>.
    /// Local on Citus: the service's own bookkeeping. Plain SQL: no EF entity.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202120500_ImportRuns")]
    public partial class ImportRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create table import_runs (
                  id uuid primary key,
                  user_id bigint not null,
                  username text not null check (length(username) <= 100),
                  scope_path text not null check (length(scope_path) <= 1000),
                  kind text not null check (kind in ('orgs', 'members', 'income')),
                  phase text not null check (phase in ('receiving', 'waiting', 'reading', 'checking', 'writing', 'done', 'rejected', 'failed')),
                  bytes_total bigint check (bytes_total >= 0),
                  bytes_read bigint not null default 0 check (bytes_read >= 0),
                  lines_read bigint not null default 0 check (lines_read >= 0),
                  started_at timestamptz not null,
                  updated_at timestamptz not null,
                  finished_at timestamptz,
                  rows_created int check (rows_created >= 0),
                  rows_updated int check (rows_updated >= 0),
                  rows_unchanged int check (rows_unchanged >= 0),
                  error_count int check (error_count >= 0),
                  check ((finished_at is not null) = (phase in ('done', 'rejected', 'failed'))),
                  check ((rows_created is not null) = (phase = 'done')),
                  check ((error_count is not null) = (phase = 'rejected'))
                );
                create index import_runs_started_at on import_runs (started_at);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop table import_runs;");
        }
    }
}

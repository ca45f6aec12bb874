using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// Where each provider's history poll resumes (issue 10): one row per provider and polled account (<c>*</c> when the
    /// provider's credential is polled for every account it sees), the provider's cursor as JSON, and the Vietnam date
    /// before which polled transactions are not taken (the day polling began, less the configured look-back). The cursor
    /// moves only in the transaction that stores its page's transactions. Plain SQL: no EF entity.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261201150000_BankPollCursors")]
    public partial class BankPollCursors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create table bank_poll_cursors (
                  provider text not null check (provider in ('sepay', 'casso')),
                  account text not null check (account = '*' or account ~ '^[0-9A-Z]{1,19}$'),
                  cursor jsonb not null check (jsonb_typeof(cursor) = 'object' and length(cursor::text) <= 1000000),
                  since date not null,
                  created_at timestamptz not null,
                  updated_at timestamptz not null,
                  last_polled_at timestamptz,
                  last_error text check (length(last_error) <= 500),
                  primary key (provider, account)
                );
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop table bank_poll_cursors;");
        }
    }
}

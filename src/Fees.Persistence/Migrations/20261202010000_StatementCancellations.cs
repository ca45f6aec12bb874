using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// A statement issued by mistake is cancelled by a recorded decision (issue 9): <c>statement_cancellations</c> holds
    /// the decision (why, who decided, the document, who recorded it and when, the amount cancelled), one per statement,
    /// append-only like the audit log. A cancelled statement leaves the unique (member, period) key, as a transferred one
    /// does, so the period's next generation issues what the corrected data says; the EF model keeps the key's original
    /// filter (the model snapshot is not this migration's), and every statement that names the key spells the new one.
    /// Plain SQL: no EF entity.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202010000_StatementCancellations")]
    public partial class StatementCancellations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop index ix_dues_statements_member_id_period;
                create unique index ix_dues_statements_member_id_period on dues_statements (member_id, period)
                  where status <> 'transferred' and status <> 'cancelled';

                create table statement_cancellations (
                  id bigint generated always as identity primary key,
                  statement_id bigint not null unique references dues_statements (id) on delete restrict,
                  amount bigint not null check (amount >= 0),
                  reason text not null check (length(reason) between 1 and 500),
                  decided_by text not null check (length(decided_by) between 1 and 200),
                  document_ref text not null check (length(document_ref) between 1 and 200),
                  recorded_by text not null check (length(recorded_by) between 1 and 100),
                  recorded_at timestamptz not null
                );

                create function statement_cancellations_append_only() returns trigger language plpgsql as $$
                begin
                  raise exception 'statement_cancellations is append-only: a cancellation decision is never changed or removed'
                    using errcode = '42501';
                end $$;

                create trigger statement_cancellations_no_update before update or delete on statement_cancellations
                  for each row execute function statement_cancellations_append_only();
                create trigger statement_cancellations_no_truncate before truncate on statement_cancellations
                  for each statement execute function statement_cancellations_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop table statement_cancellations;
                drop function statement_cancellations_append_only();
                drop index ix_dues_statements_member_id_period;
                create unique index ix_dues_statements_member_id_period on dues_statements (member_id, period) where status <> 'transferred';
                """);
        }
    }
}

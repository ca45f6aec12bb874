using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// The statement-move check (<c>StatusTransitions</c>) joins the trigger's old and new rows by id. The planner has
    /// no statistics for transition tables (it assumed one row each) and chose a nested loop: quadratic in the rows one
    /// UPDATE changes. An UPDATE of 5,000 statements (one batch of the bulk receipt booking) spent 8–11 s in it
    /// (auto_explain: 24,975,006 rows removed by the join filter). The function now runs with nested loops off, so the
    /// join is a hash join whatever the estimate. Same rule, same error.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202030000_StatementMoveCheckHashJoin")]
    public partial class StatementMoveCheckHashJoin : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create or replace function dues_statements_check_moves() returns trigger language plpgsql
                set enable_nestloop = off
                as $$
                declare bad record;
                begin
                  select o.id, o.status as from_status, n.status as to_status into bad
                  from old_rows o join new_rows n on n.id = o.id
                  where o.status <> n.status
                    and not exists (select 1 from dues_statement_transitions t where t.from_status = o.status and t.to_status = n.status)
                  limit 1;
                  if found then
                    raise exception 'dues statement % cannot move from % to %', bad.id, bad.from_status, bad.to_status
                      using errcode = '23514', hint = 'The statement lifecycle (DuesStatementLifecycle) decides every status.';
                  end if;
                  return null;
                end $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create or replace function dues_statements_check_moves() returns trigger language plpgsql as $$
                declare bad record;
                begin
                  select o.id, o.status as from_status, n.status as to_status into bad
                  from old_rows o join new_rows n on n.id = o.id
                  where o.status <> n.status
                    and not exists (select 1 from dues_statement_transitions t where t.from_status = o.status and t.to_status = n.status)
                  limit 1;
                  if found then
                    raise exception 'dues statement % cannot move from % to %', bad.id, bad.from_status, bad.to_status
                      using errcode = '23514', hint = 'The statement lifecycle (DuesStatementLifecycle) decides every status.';
                  end if;
                  return null;
                end $$;
                """);
        }
    }
}

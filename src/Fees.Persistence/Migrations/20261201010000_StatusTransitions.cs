using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// The database checks every dues statement status against the lifecycle's table (written at each start by
    /// <c>StatusTables</c> from <c>DuesStatementLifecycle.Transitions</c>): a new row starts in a status a quote can give,
    /// and an update only makes a move the lifecycle allows. Statement-level triggers with transition tables, so bulk
    /// updates pay one join, not a trigger call per row.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261201010000_StatusTransitions")]
    public partial class StatusTransitions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create table dues_statement_transitions (
                  from_status text not null,
                  to_status text not null,
                  primary key (from_status, to_status)
                );

                create function dues_statements_check_new() returns trigger language plpgsql as $$
                declare bad record;
                begin
                  select n.id, n.status into bad from new_rows n
                  where not exists (select 1 from dues_statement_transitions t where t.from_status = '' and t.to_status = n.status)
                  limit 1;
                  if found then
                    raise exception 'dues statement % cannot start in status %', bad.id, bad.status
                      using errcode = '23514', hint = 'The statement lifecycle (DuesStatementLifecycle) decides every status.';
                  end if;
                  return null;
                end $$;

                create function dues_statements_check_moves() returns trigger language plpgsql as $$
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

                create trigger dues_statements_new_status after insert on dues_statements
                  referencing new table as new_rows for each statement execute function dues_statements_check_new();
                create trigger dues_statements_status_moves after update on dues_statements
                  referencing old table as old_rows new table as new_rows for each statement execute function dues_statements_check_moves();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop trigger dues_statements_status_moves on dues_statements;
                drop trigger dues_statements_new_status on dues_statements;
                drop function dues_statements_check_moves();
                drop function dues_statements_check_new();
                drop table dues_statement_transitions;
                """);
        }
    }
}

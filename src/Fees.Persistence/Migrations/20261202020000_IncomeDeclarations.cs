using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// Income the member declares (issue 10 item 7). <c>income_declarations</c> holds each proposal as made and as decided
    /// (<c>IncomeDeclaration</c>'s lifecycle: proposed → confirmed | rejected | withdrawn); a unique partial index keeps at
    /// most one open proposal per member, so racing proposals make one row. A trigger refuses any change to a decided
    /// declaration and any delete, whatever the role's grants. <c>income_records.source</c> says where a month's figures
    /// came from: <c>import</c> (the CSV import, the default for every row already there) or <c>declared:{id}</c> (a
    /// confirmed declaration). Plain SQL: no EF entity for the declarations.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202020000_IncomeDeclarations")]
    public partial class IncomeDeclarations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                alter table income_records add column source text not null default 'import'
                  constraint ck_income_records_source check (source = 'import' or source ~ '^declared:[1-9][0-9]{0,18}$');

                create table income_declarations (
                  id bigint generated always as identity primary key,
                  member_id bigint not null references members (id),
                  from_period date not null check (extract(day from from_period) = 1 and from_period >= date '2026-08-01'),
                  si_salary bigint check (si_salary between 0 and 1000000000),
                  si_benefit bigint check (si_benefit between 0 and 1000000000),
                  pension bigint check (pension between 0 and 1000000000),
                  note text check (length(note) between 1 and 500 and note !~ '[[:cntrl:]]'),
                  status text not null check (status in ('proposed', 'confirmed', 'rejected', 'withdrawn')),
                  proposed_by text not null,
                  proposed_at timestamptz not null,
                  decided_by text,
                  decided_at timestamptz,
                  rejection_reason text check (length(rejection_reason) between 1 and 500 and rejection_reason !~ '[[:cntrl:]]'),
                  constraint ck_income_declarations_some_figure check (num_nonnulls(si_salary, si_benefit, pension) > 0),
                  constraint ck_income_declarations_decided check ((status = 'proposed') = (decided_at is null) and (decided_at is null) = (decided_by is null)),
                  constraint ck_income_declarations_reason check ((status = 'rejected') = (rejection_reason is not null))
                );
                create unique index ux_income_declarations_open on income_declarations (member_id) where status = 'proposed';
                create index ix_income_declarations_member on income_declarations (member_id, id);
                create index ix_income_declarations_proposed on income_declarations (id) where status = 'proposed';

                create function income_declarations_decided_once() returns trigger language plpgsql as $$
                begin
                  if tg_op <> 'UPDATE' then
                    raise exception 'income_declarations: % is not allowed (a declaration is a record of what the member said)', tg_op
                      using errcode = 'insufficient_privilege';
                  end if;
                  if old.status <> 'proposed' or (old.id, old.member_id, old.from_period, old.si_salary, old.si_benefit, old.pension, old.note,
                       old.proposed_by, old.proposed_at) is distinct from
                     (new.id, new.member_id, new.from_period, new.si_salary, new.si_benefit, new.pension, new.note, new.proposed_by, new.proposed_at) then
                    raise exception 'income declaration % (%) cannot change: only a proposed declaration is decided, once', old.id, old.status
                      using errcode = '23514', hint = 'IncomeDeclaration''s lifecycle decides every status.';
                  end if;
                  return new;
                end $$;
                create trigger income_declarations_no_rewrite before update or delete on income_declarations
                  for each row execute function income_declarations_decided_once();
                create trigger income_declarations_no_truncate before truncate on income_declarations
                  for each statement execute function income_declarations_decided_once();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop table income_declarations;
                drop function income_declarations_decided_once();
                alter table income_records drop column source;
                """);
        }
    }
}

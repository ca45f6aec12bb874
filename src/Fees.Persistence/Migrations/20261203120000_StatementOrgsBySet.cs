using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// A statement's organization is checked once per statement of SQL instead of once per row, and the statements'
    /// unique key on <c>transferred_from_id</c> indexes only the rows that have one.
    /// <para>
    /// Why: the month's generation inserts one statement per member (5.6 million for the nation). The foreign key
    /// <c>fk_dues_statements_orgs_org_id</c> ran PostgreSQL's per-row check (<c>RI_FKey_check_ins</c>, one SPI query
    /// and a key-share lock of the organization's row per statement): 3.1 s of a 14.1 s month insert at scale 0.1
    /// (docs/performance.md). The rows come from a join on <c>orgs</c> already; one anti-join of the statement's
    /// transition table against <c>orgs</c> proves the same thing. And <c>transferred_from_id</c> is NULL on every
    /// statement but a transfer's continuation, yet each row put a NULL entry into its unique index; a partial index keeps
    /// the same uniqueness (NULLs never collide) and is probed the same way (an equality implies NOT NULL).
    /// </para>
    /// <para>
    /// What replaces the foreign key, so that the database still refuses a statement of an organization that does not
    /// exist, whoever writes it:
    /// <list type="bullet">
    /// <item>after an INSERT on <c>dues_statements</c>, a statement-level trigger refuses the whole statement if any new
    /// row names an organization not in <c>orgs</c> (SQLSTATE 23503, constraint <c>dues_statements_org_exists</c>, as
    /// the foreign key said);</item>
    /// <item>after an UPDATE that changes a row's <c>org_id</c> (a row-level trigger with a WHEN clause: an update that
    /// leaves the organization alone, every payment, costs nothing), the same check for that row;</item>
    /// <item>the other side of the reference: an organization is never deleted by the service (its role loses DELETE and
    /// TRUNCATE on <c>orgs</c>: a dissolved organization keeps its history); no one may change an organization's
    /// <c>id</c>; and the owner's DELETE waits for the statements' writers to commit (a SHARE lock on
    /// <c>dues_statements</c>) and is refused while statements name the organization, as is a TRUNCATE of <c>orgs</c>
    /// while any statement exists. So the inserting side takes no lock on the organization's row, which the foreign key
    /// did for every row: whatever could remove the row waits for the insert or is refused.</item>
    /// </list>
    /// One gap the foreign key did not have: statement-level triggers fire on the parent, so a row inserted by the owner
    /// straight into a month's partition is not checked. The service's role has no rights on partitions at all
    /// (<c>DatabaseRoles.GrantAppRole</c>).
    /// The audit check <c>distributed-references-resolve</c> does not list this reference: <c>orgs</c> is a reference
    /// table on Citus, and these triggers are shard-local (docs/scaling.md). <c>StatementOrgsTests</c> tampers with all of it.
    /// </para>
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261203120000_StatementOrgsBySet")]
    public partial class StatementOrgsBySet : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                alter table dues_statements drop constraint fk_dues_statements_orgs_org_id;

                create function dues_statements_check_orgs() returns trigger language plpgsql as $$
                declare bad bigint;
                begin
                  if tg_level = 'STATEMENT' then
                    select n.org_id into bad from new_rows n
                    where not exists (select 1 from orgs o where o.id = n.org_id)
                    limit 1;
                  elsif not exists (select 1 from orgs o where o.id = new.org_id) then
                    bad := new.org_id;
                  end if;
                  if bad is not null then
                    raise exception 'insert or update on table "dues_statements" names organization %, which is not in "orgs"', bad
                      using errcode = '23503', constraint = 'dues_statements_org_exists', schema = 'public', table = 'dues_statements';
                  end if;
                  return null;
                end $$
                -- Index probes of orgs' key, whatever the batch: PL/pgSQL keeps the plan of its first call, and a hash of
                -- all of orgs (255,689 rows for the nation) planned for a 20,000-row batch would be paid again by every
                -- one-row insert on that connection (the same trap as 20261202030000_StatementMoveCheckHashJoin).
                set enable_hashjoin = off set enable_mergejoin = off;

                create trigger dues_statements_orgs_exist after insert on dues_statements
                  referencing new table as new_rows for each statement execute function dues_statements_check_orgs();
                create trigger dues_statements_org_moved after update on dues_statements
                  for each row when (old.org_id is distinct from new.org_id) execute function dues_statements_check_orgs();

                create function orgs_check_statements_gone() returns trigger language plpgsql as $$
                declare bad bigint;
                begin
                  if tg_op = 'TRUNCATE' then
                    if exists (select 1 from dues_statements) then
                      raise exception 'orgs cannot be truncated while dues statements name organizations'
                        using errcode = '23503', constraint = 'dues_statements_org_exists', schema = 'public', table = 'orgs';
                    end if;
                    return null;
                  end if;
                  if tg_op = 'UPDATE' then
                    raise exception 'organization % cannot be renumbered: its id is the key its history is kept under', old.id
                      using errcode = '23503', constraint = 'dues_statements_org_exists', schema = 'public', table = 'orgs';
                  end if;
                  -- A statement inserted, uncommitted, while the organizations it names are deleted would not be seen:
                  -- wait for the writers of statements to commit, then look (a new snapshot, read committed).
                  lock table dues_statements in share mode;
                  select o.id into bad from old_rows o
                  where exists (select 1 from dues_statements s where s.org_id = o.id)
                  limit 1;
                  if bad is not null then
                    raise exception 'organization % is named by dues statements and cannot be deleted', bad
                      using errcode = '23503', constraint = 'dues_statements_org_exists', schema = 'public', table = 'orgs';
                  end if;
                  return null;
                end $$;

                create trigger orgs_statements_on_delete after delete on orgs
                  referencing old table as old_rows for each statement execute function orgs_check_statements_gone();
                create trigger orgs_never_renumbered after update on orgs
                  for each row when (old.id is distinct from new.id) execute function orgs_check_statements_gone();
                create trigger orgs_statements_on_truncate before truncate on orgs
                  for each statement execute function orgs_check_statements_gone();

                drop index ix_dues_statements_transferred_from_id;
                create unique index ix_dues_statements_transferred_from_id on dues_statements (transferred_from_id, province_id, period)
                  where transferred_from_id is not null;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop index ix_dues_statements_transferred_from_id;
                create unique index ix_dues_statements_transferred_from_id on dues_statements (transferred_from_id, province_id, period);
                drop trigger orgs_statements_on_truncate on orgs;
                drop trigger orgs_never_renumbered on orgs;
                drop trigger orgs_statements_on_delete on orgs;
                drop function orgs_check_statements_gone();
                drop trigger dues_statements_org_moved on dues_statements;
                drop trigger dues_statements_orgs_exist on dues_statements;
                drop function dues_statements_check_orgs();
                alter table dues_statements add constraint fk_dues_statements_orgs_org_id foreign key (org_id) references orgs (id) on delete restrict;
                """);
        }
    }
}

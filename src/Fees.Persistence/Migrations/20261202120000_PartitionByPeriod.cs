using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// <c>dues_statements</c> and <c>receipt_allocations</c> are partitioned by <c>period</c>, one partition per month
    /// (issue 12 §4; docs/scaling.md "Partitioning by period"). A partitioned table's primary and unique keys must contain
    /// the partition key, and Citus's must contain <c>province_id</c>, so:
    /// <list type="bullet">
    /// <item>the primary keys become <c>(id, province_id, period)</c>; ids still come from one identity sequence per
    /// table, so an id stays unique on its own, the key only has to say so per partition;</item>
    /// <item>the one-statement-per-(member, period) key <c>(member_id, period, province_id)</c> already contains the period;</item>
    /// <item><c>ix_dues_statements_transferred_from_id</c> becomes <c>(transferred_from_id, province_id, period)</c>. It says
    /// "a statement is continued at most once"; with the period in it, it says so per period, which is the same thing
    /// because a continuation keeps its origin's period (<c>DuesStatement.TransferRest</c> copies it, and nothing else
    /// writes <c>transferred_from_id</c>). That the period matches is itself checked by the audit
    /// (<c>distributed-references-resolve</c> requires the origin with the same period), and a second continuation in
    /// any period is refused anyway by the origin's status: it moves to <c>transferred</c> once (the status trigger
    /// refuses transferred → transferred, and EF's row version a concurrent second move) in the continuation's own
    /// transaction; <c>statements-paid-within-amount</c> counts continuations across every period;</item>
    /// <item><c>statement_cancellations</c> names its statement's period (new column, filled from the statement, NOT NULL),
    /// so its foreign key <c>(statement_id, province_id, period)</c> still points at exactly one statement.</item>
    /// </list>
    /// Partitions are created by <c>ensure_period_partitions(upto)</c> (owner's rights, advisory lock, idempotent: see
    /// <c>Database/PeriodPartitions.cs</c>): here from 2026-08 to twelve months past today or the latest period on file;
    /// then by dues generation before it writes a period and at every start for the months just ahead. No DEFAULT
    /// partition: every new period's first row is a statement written by generation, which creates the month first; a row
    /// for a month without a partition is refused loudly instead of hiding in a partition that would have to be scanned
    /// and emptied before its month could be created. Rows are moved with every trigger off (they were checked when
    /// written); keys, indexes, triggers and checks are recreated under their old names; the service role's grants are
    /// given again by <c>DatabaseRoles.GrantAppRole</c> after every migration (and nothing on the partitions themselves).
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202120000_PartitionByPeriod")]
    public partial class PartitionByPeriod : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- 1. The partition lifecycle: the months from 2026-08 to upto, for every table partitioned by period.
                create function ensure_period_partitions(upto date) returns integer
                language plpgsql security definer set search_path = public, pg_temp
                as $$
                declare
                  missing record;
                  created integer := 0;
                begin
                  if upto is null or upto < date '2026-08-01' then
                    return 0;
                  end if;
                  if upto > date '2200-01-01' then
                    raise exception 'ensure_period_partitions(%): not a period', upto using errcode = '22008';
                  end if;
                  -- One creator at a time (class 'Part'); the others wait, then find the months there. Attaching takes
                  -- SHARE UPDATE EXCLUSIVE on the parent only: reads and writes of other months go on meanwhile.
                  perform pg_advisory_xact_lock(1348563572, 0);
                  for missing in
                    select t.name as parent, m::date as month, format('%s_p%s', t.name, to_char(m, 'YYYY_MM')) as part
                    from unnest(array['dues_statements', 'receipt_allocations']) as t(name)
                    cross join generate_series(date '2026-08-01', date_trunc('month', upto), interval '1 month') as m
                    where not exists (
                      select 1 from pg_inherits i join pg_class c on c.oid = i.inhrelid
                      where i.inhparent = format('public.%I', t.name)::regclass and c.relname = format('%s_p%s', t.name, to_char(m, 'YYYY_MM')))
                    order by 1, 2
                  loop
                    execute format('create table %I (like %I including defaults including constraints including storage)', missing.part, missing.parent);
                    execute format('alter table %I attach partition %I for values from (%L) to (%L)',
                                   missing.parent, missing.part, missing.month, (missing.month + interval '1 month')::date);
                    created := created + 1;
                  end loop;
                  return created;
                end $$;
                revoke all on function ensure_period_partitions(date) from public;

                -- 2. Cancellations name their statement's period, so they can still point at one statement.
                alter table statement_cancellations drop constraint statement_cancellations_statement_fkey;
                alter table statement_cancellations add column period date;
                alter table statement_cancellations disable trigger user;
                update statement_cancellations c set period = s.period from dues_statements s where s.id = c.statement_id and s.province_id = c.province_id;
                alter table statement_cancellations enable trigger user;
                alter table statement_cancellations alter column period set not null;
                create or replace function fill_province_of_cancellation() returns trigger language plpgsql as $$
                begin
                  select s.province_id, s.period into new.province_id, new.period from dues_statements s
                  where s.id = new.statement_id and (new.period is null or s.period = new.period);
                  new.province_id := coalesce(new.province_id, 0);
                  return new;
                end $$;
                drop trigger statement_cancellations_province on statement_cancellations;
                create trigger statement_cancellations_province before insert on statement_cancellations for each row
                  when (new.province_id is null or new.period is null) execute function fill_province_of_cancellation();

                -- 3. The old tables step aside (their identity sequences go; the new tables continue their numbers).
                create temp table partition_ids on commit drop as
                select 'dues_statements' as t, (select last_value from dues_statements_id_seq) as v, (select is_called from dues_statements_id_seq) as called
                union all
                select 'receipt_allocations', (select last_value from receipt_allocations_id_seq), (select is_called from receipt_allocations_id_seq);
                alter table dues_statements rename to dues_statements_unpartitioned;
                alter table dues_statements_unpartitioned alter column id drop identity;
                alter table receipt_allocations rename to receipt_allocations_unpartitioned;
                alter table receipt_allocations_unpartitioned alter column id drop identity;

                -- 4. The partitioned tables: same columns and checks, then the months, then the rows.
                create table dues_statements (like dues_statements_unpartitioned including defaults including constraints including storage)
                  partition by range (period);
                alter table dues_statements alter column id add generated by default as identity;
                create table receipt_allocations (like receipt_allocations_unpartitioned including defaults including constraints including storage)
                  partition by range (period);
                alter table receipt_allocations alter column id add generated always as identity;
                select setval('dues_statements_id_seq', v, called) from partition_ids where t = 'dues_statements';
                select setval('receipt_allocations_id_seq', v, called) from partition_ids where t = 'receipt_allocations';

                select ensure_period_partitions(greatest(
                  (date_trunc('month', now() at time zone 'Asia/Ho_Chi_Minh') + interval '12 months')::date,
                  (select max(period) from dues_statements_unpartitioned),
                  (select max(period) from receipt_allocations_unpartitioned)));

                insert into dues_statements select * from dues_statements_unpartitioned;
                insert into receipt_allocations overriding system value select * from receipt_allocations_unpartitioned;
                drop table dues_statements_unpartitioned;
                drop table receipt_allocations_unpartitioned;

                -- 5. Keys and indexes, under their old names, each with the period (and the province, Citus's rule).
                alter table dues_statements add constraint pk_dues_statements primary key (id, province_id, period);
                create unique index ix_dues_statements_member_id_period on dues_statements (member_id, period, province_id)
                  where status <> 'transferred' and status <> 'cancelled';
                -- "Continued at most once" per period is "at most once": a continuation keeps its origin's period (above).
                create unique index ix_dues_statements_transferred_from_id on dues_statements (transferred_from_id, province_id, period);
                create index ix_dues_statements_member_all_periods on dues_statements (member_id, period);
                create index ix_dues_statements_org_id_period on dues_statements (org_id, period);
                create index ix_dues_statements_period_status on dues_statements (period, status);
                alter table dues_statements add constraint fk_dues_statements_orgs_org_id foreign key (org_id) references orgs (id) on delete restrict;

                alter table receipt_allocations add constraint receipt_allocations_pkey primary key (id, province_id, period);
                create index ix_receipt_allocations_receipt on receipt_allocations (receipt_id);
                create index ix_receipt_allocations_statement on receipt_allocations (statement_id);
                alter table receipt_allocations add constraint receipt_allocations_org_id_fkey foreign key (org_id) references orgs (id);
                alter table receipt_allocations add constraint receipt_allocations_receipt_fkey
                  foreign key (receipt_id, province_id) references receipts (id, province_id);

                alter table statement_cancellations add constraint statement_cancellations_statement_fkey
                  foreign key (statement_id, province_id, period) references dues_statements (id, province_id, period) on delete restrict;

                -- 6. The triggers, on the partitioned parents (PostgreSQL 15: statement triggers with transition tables
                --    see the rows of every partition; row triggers are cloned onto each partition, new ones included).
                create trigger dues_statements_new_status after insert on dues_statements
                  referencing new table as new_rows for each statement execute function dues_statements_check_new();
                create trigger dues_statements_status_moves after update on dues_statements
                  referencing old table as old_rows new table as new_rows for each statement execute function dues_statements_check_moves();
                create trigger dues_statements_province before insert on dues_statements
                  for each row when (new.province_id is null) execute function fill_province_from_org();
                create trigger receipt_allocations_province before insert on receipt_allocations
                  for each row when (new.province_id is null) execute function fill_province_from_org();

                """);
            migrationBuilder.Sql(Fees.Persistence.Database.PartitionStatistics.AnalyzeWhereFilledSql("dues_statements", "receipt_allocations", "statement_cancellations"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                do $$ begin
                  raise exception 'PartitionByPeriod is not undone in place: restore the database from the backup taken before it';
                end $$;
                """);
        }
    }
}

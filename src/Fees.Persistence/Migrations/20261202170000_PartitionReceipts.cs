using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// <c>receipts</c> is partitioned by <c>period</c>, one partition per month, like <c>dues_statements</c> and
    /// <c>receipt_allocations</c> (issue 12 §4; docs/scaling.md "Partitioning by period", "receipts"):
    /// <list type="bullet">
    /// <item>a new column <c>period date not null</c>, the month of <c>booking_date</c> (the bank line's booking day in
    /// Vietnam, a cash receipt's day as entered): on PostgreSQL 15 a generated column cannot be a partition key, so every
    /// insert names it and <c>ck_receipts_period</c> holds it to <c>date_trunc('month', booking_date)</c>;</item>
    /// <item>the primary key becomes <c>(id, province_id, period)</c> (ids still come from one identity sequence);</item>
    /// <item>"a bank line books once", <c>receipts_bank_transaction_id_key</c>, becomes <c>(bank_transaction_id,
    /// province_id, period)</c>. The same guarantee: a bank receipt's booking date is the Vietnam date of its line's
    /// <c>booked_at</c> (single and batch booking both compute it from the locked inbox row), which the service's role
    /// cannot change (it may update only <c>org_id, state, processed_at</c> of a line), so one line has one period and a
    /// second receipt for it would collide in the same partition. The audit (<c>receipts-booked-once</c>) proves both
    /// premises across every partition: no line has two receipts, and each bank receipt's date is its line's;</item>
    /// <item><c>receipt_allocations</c>, <c>payment_receipts</c> and <c>treasurer_actions</c> gain <c>receipt_period</c>
    /// (the receipt's period; an allocation's own <c>period</c> is its statement's), filled by the statements that insert
    /// them, so their foreign keys <c>(receipt_id, province_id, receipt_period)</c> still name exactly one receipt. A
    /// treasurer's action names its receipt late (a cash receipt is made after the action is claimed), so there the
    /// column may be null, but only together with <c>receipt_id</c> (a foreign key with one null column is not checked).</item>
    /// </list>
    /// <c>ensure_period_partitions</c> now finds its tables in the catalog (every table of <c>public</c> partitioned by
    /// range on a column <c>period</c>, partitions named <c>{table}_pYYYY_MM</c>), so it creates the months of receipts
    /// and of any table partitioned later without being rewritten; a second form <c>ensure_period_partitions(since,
    /// upto)</c> creates the months of any range from 2000-01 (a bank line may be booked for any day since 2000:
    /// <c>BankTransactionLimits.EarliestBookedAt</c>), and both return at once, without the lock, when nothing is
    /// missing. Rows are moved with every trigger off (they were checked when written); keys, indexes, checks and triggers
    /// are recreated under their old names.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202170000_PartitionReceipts")]
    public partial class PartitionReceipts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- 1. The partition lifecycle, for every table partitioned by period (read from the catalog). It replaces the
                --    ledger's two-argument form (20261202160000), whose table list was written out; a new month of a
                --    parent refusing TRUNCATE refuses it too (a statement trigger stays on its table: the ledger's).
                drop function ensure_period_partitions(date, date);
                create function ensure_period_partitions(since date, upto date) returns integer
                language plpgsql security definer set search_path = public, pg_temp
                as $$
                declare
                  missing record;
                  truncate_trigger record;
                  created integer := 0;
                  locked boolean := false;
                begin
                  if since is null or upto is null or upto < since then
                    return 0;
                  end if;
                  if since < date '2000-01-01' or upto > date '2200-01-01' then
                    raise exception 'ensure_period_partitions(%, %): not a period', since, upto using errcode = '22008';
                  end if;
                  loop
                    for missing in
                      select t.oid::regclass::text as parent, m::date as month, format('%s_p%s', t.relname, to_char(m, 'YYYY_MM')) as part
                      from pg_partitioned_table pt
                      join pg_class t on t.oid = pt.partrelid and t.relnamespace = 'public'::regnamespace
                      join pg_attribute a on a.attrelid = t.oid and a.attnum = pt.partattrs[0] and a.attname = 'period'
                      cross join generate_series(date_trunc('month', since::timestamp), date_trunc('month', upto::timestamp), interval '1 month') as m
                      where pt.partstrat = 'r' and pt.partnatts = 1 and not t.relispartition
                        and not exists (
                          select 1 from pg_inherits i join pg_class c on c.oid = i.inhrelid
                          where i.inhparent = t.oid and c.relname = format('%s_p%s', t.relname, to_char(m, 'YYYY_MM')))
                      order by 1, 2
                    loop
                      if not locked then
                        exit; -- something is missing: take the lock, then look again (another caller may have made it)
                      end if;
                      execute format('create table %I (like %s including defaults including constraints including storage)', missing.part, missing.parent);
                      for truncate_trigger in
                        select f.oid::regprocedure::text as fn, row_number() over (order by t.tgname) as n, t.tgname
                        from pg_trigger t join pg_proc f on f.oid = t.tgfoid
                        where t.tgrelid = missing.parent::regclass and not t.tgisinternal and (t.tgtype & 32) <> 0
                      loop
                        execute format('create trigger %I before truncate on %I for each statement execute function %s',
                                       case when truncate_trigger.n = 1 then missing.part || '_no_truncate' else missing.part || '_' || truncate_trigger.tgname end,
                                       missing.part, truncate_trigger.fn);
                      end loop;
                      execute format('alter table %s attach partition %I for values from (%L) to (%L)',
                                     missing.parent, missing.part, missing.month, (missing.month + interval '1 month')::date);
                      created := created + 1;
                    end loop;
                    if locked or not found then
                      return created; -- done, or (without the lock) nothing was missing
                    end if;
                    -- One creator at a time (class 'Part'); the others wait, then find the months there. Attaching takes
                    -- SHARE UPDATE EXCLUSIVE on the parent only: reads and writes of other months go on meanwhile.
                    perform pg_advisory_xact_lock(1348563572, 0);
                    locked := true;
                  end loop;
                end $$;
                revoke all on function ensure_period_partitions(date, date) from public;

                create or replace function ensure_period_partitions(upto date) returns integer
                language plpgsql security definer set search_path = public, pg_temp
                as $$
                begin
                  if upto is null or upto < date '2026-08-01' then
                    return 0;
                  end if;
                  if upto > date '2200-01-01' then
                    raise exception 'ensure_period_partitions(%): not a period', upto using errcode = '22008';
                  end if;
                  return ensure_period_partitions(date '2026-08-01', upto);
                end $$;
                revoke all on function ensure_period_partitions(date) from public;

                -- 2. The tables that name a receipt step off it, and will name its period.
                alter table receipt_allocations drop constraint receipt_allocations_receipt_fkey;
                alter table payment_receipts drop constraint payment_receipts_receipt_fkey;
                alter table treasurer_actions drop constraint treasurer_actions_receipt_fkey;

                -- 3. The old table steps aside (its identity sequence goes; the new table continues its numbers).
                create temp table partition_ids on commit drop as
                select (select last_value from receipts_id_seq) as v, (select is_called from receipts_id_seq) as called;
                alter table receipts rename to receipts_unpartitioned;
                alter table receipts_unpartitioned alter column id drop identity;
                alter table receipts_unpartitioned drop constraint receipts_pkey;
                alter table receipts_unpartitioned drop constraint receipts_bank_transaction_id_key;
                alter index ix_receipts_org_date rename to ix_receipts_org_date_unpartitioned;
                alter index ix_receipts_org_open rename to ix_receipts_org_open_unpartitioned;
                alter index ix_receipts_member rename to ix_receipts_member_unpartitioned;

                -- 4. The partitioned table: same columns and checks, plus the period; then the months, then the rows.
                create table receipts (like receipts_unpartitioned including defaults including constraints including storage,
                                       period date not null,
                                       constraint ck_receipts_period check (period = date_trunc('month', booking_date::timestamp)::date))
                  partition by range (period);
                alter table receipts alter column id add generated always as identity;
                select setval('receipts_id_seq', v, called) from partition_ids;

                select ensure_period_partitions(greatest(
                  (date_trunc('month', now() at time zone 'Asia/Ho_Chi_Minh') + interval '12 months')::date,
                  (select max(booking_date) from receipts_unpartitioned)));
                -- A receipt dated before the first period of the service (a bank line of an earlier day): its own month.
                select ensure_period_partitions(m, m)
                from (select distinct date_trunc('month', booking_date::timestamp)::date as m from receipts_unpartitioned
                      where booking_date < date '2026-08-01') early;

                insert into receipts overriding system value
                select u.*, date_trunc('month', u.booking_date::timestamp)::date from receipts_unpartitioned u;
                drop table receipts_unpartitioned;
                """);
            // The backfills below join it: analyzed, but only when filled (PartitionStatistics.AnalyzeWhereFilledSql says why).
            migrationBuilder.Sql(Fees.Persistence.Database.PartitionStatistics.AnalyzeWhereFilledSql("receipts"));
            migrationBuilder.Sql("""

                -- 5. Keys and indexes, under their old names, each with the period (and the province, Citus's rule).
                alter table receipts add constraint receipts_pkey primary key (id, province_id, period);
                -- "A bank line books once": one line has one booking date, so with the period it is still once (above).
                alter table receipts add constraint receipts_bank_transaction_id_key unique (bank_transaction_id, province_id, period);
                create index ix_receipts_org_date on receipts (org_id, booking_date);
                create index ix_receipts_org_open on receipts (org_id, id) where status in ('unmatched', 'partially_matched');
                create index ix_receipts_member on receipts (member_id) where member_id is not null;
                alter table receipts add constraint receipts_org_id_fkey foreign key (org_id) references orgs (id);
                create trigger receipts_province before insert on receipts
                  for each row when (new.province_id is null) execute function fill_province_from_org();

                -- 6. What names a receipt names its period: backfilled (append-only tables with their triggers off), then
                --    filled by the inserts (a trigger for those that do not name it, as for province_id).
                alter table receipt_allocations add column receipt_period date;
                alter table payment_receipts add column receipt_period date;
                alter table treasurer_actions add column receipt_period date;
                alter table receipt_allocations disable trigger user;
                update receipt_allocations a set receipt_period = r.period from receipts r where r.id = a.receipt_id and r.province_id = a.province_id;
                alter table receipt_allocations enable trigger user;
                alter table payment_receipts disable trigger user;
                update payment_receipts x set receipt_period = r.period from receipts r where r.id = x.receipt_id and r.province_id = x.province_id;
                alter table payment_receipts enable trigger user;
                alter table treasurer_actions disable trigger user;
                update treasurer_actions x set receipt_period = r.period from receipts r where r.id = x.receipt_id and r.province_id = x.province_id;
                alter table treasurer_actions enable trigger user;
                alter table receipt_allocations alter column receipt_period set not null;
                alter table payment_receipts alter column receipt_period set not null;
                alter table treasurer_actions add constraint ck_treasurer_actions_receipt_period check ((receipt_id is null) = (receipt_period is null));

                create function fill_receipt_period() returns trigger language plpgsql as $$
                begin
                  new.receipt_period := (select r.period from receipts r where r.id = new.receipt_id and r.province_id = new.province_id);
                  return new;
                end $$;
                create trigger receipt_allocations_receipt_period before insert on receipt_allocations
                  for each row when (new.receipt_period is null) execute function fill_receipt_period();
                create trigger payment_receipts_receipt_period before insert on payment_receipts
                  for each row when (new.receipt_period is null) execute function fill_receipt_period();
                create trigger treasurer_actions_receipt_period before insert on treasurer_actions
                  for each row when (new.receipt_period is null and new.receipt_id is not null) execute function fill_receipt_period();

                alter table receipt_allocations add constraint receipt_allocations_receipt_fkey
                  foreign key (receipt_id, province_id, receipt_period) references receipts (id, province_id, period);
                alter table payment_receipts add constraint payment_receipts_receipt_fkey
                  foreign key (receipt_id, province_id, receipt_period) references receipts (id, province_id, period);
                alter table treasurer_actions add constraint treasurer_actions_receipt_fkey
                  foreign key (receipt_id, province_id, receipt_period) references receipts (id, province_id, period);

                """);
            migrationBuilder.Sql(Fees.Persistence.Database.PartitionStatistics.AnalyzeWhereFilledSql("receipt_allocations", "payment_receipts", "treasurer_actions"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                do $$ begin
                  raise exception 'PartitionReceipts is not undone in place: restore the database from the backup taken before it';
                end $$;
                """);
        }
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// <c>ledger_entries</c> and <c>ledger_postings</c> are partitioned by <c>period</c>, one partition per month, like
    /// <c>dues_statements</c> (issue 12 §4; docs/scaling.md "Partitioning by period", "The books"). Their keys change so:
    /// <list type="bullet">
    /// <item>"a source posts once" cannot be a key of the partitioned entries: a treasurer's allocation, a refund and a cash
    /// deposit post on the day they are made, so the same source retried after midnight at a month's end would compute
    /// another period. It moves to the narrow, unpartitioned <c>ledger_sources (source_kind, source_id, province_id)</c>
    /// primary key, which the posting statement inserts into first (<c>ON CONFLICT DO NOTHING</c>, the entries' ids drawn
    /// there); the row names its entry <c>(entry_id, period)</c>, and every entry's foreign key
    /// <c>(source_kind, source_id, province_id, id)</c> points at the source row that names it, so two entries of one
    /// source are impossible in the database itself, not only in the posting's SQL;</item>
    /// <item>"an entry is reversed once" keeps its key with the period: <c>ux_ledger_entries_reverses
    /// (reverses_entry_id, province_id, period)</c>. A reversal is in the period of the entry it reverses
    /// (<c>JournalEntry.Reverse</c> keeps it), and the reversal's foreign key <c>(reverses_entry_id, province_id,
    /// period)</c> now says so in the database: every reversal of an entry is in that entry's period, so "once per
    /// period" is "once". (docs/scaling.md's earlier design assumed a reversal took the day's period and needed a side
    /// table; it does not.)</item>
    /// <item>primary keys <c>(id, province_id, period)</c> and <c>(entry_id, line_no, province_id, period)</c>; a posting
    /// carries its entry's period (new column, copied by the same statement) and its foreign key names it.</item>
    /// </list>
    /// <c>ensure_period_partitions</c> now also creates the ledger's months, and gains a two-argument form that creates a
    /// range of months (any month from 2000 on: a bank line may be booked on any day), with a fast path that takes no lock
    /// when nothing is missing; <c>LedgerStore</c> calls it for a month it has not seen in this process before posting
    /// into it. Statement triggers are not inherited by partitions, so each ledger partition gets its own
    /// <c>BEFORE TRUNCATE</c> refusal; the row triggers (append-only) are cloned by PostgreSQL. Rows are moved with the new
    /// tables' triggers not yet created (they were checked when written).
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202160000_PartitionLedgerByPeriod")]
    public partial class PartitionLedgerByPeriod : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- 1. The partition lifecycle: a range of months for every table partitioned by period, the ledger's included.
                create function ensure_period_partitions(from_month date, upto date) returns integer
                language plpgsql security definer set search_path = public, pg_temp
                as $$
                declare
                  first_month date;
                  missing record;
                  created integer := 0;
                begin
                  if from_month is null or upto is null then
                    return 0;
                  end if;
                  if upto > date '2200-01-01' then
                    raise exception 'ensure_period_partitions(%, %): not a period', from_month, upto using errcode = '22008';
                  end if;
                  first_month := greatest(date_trunc('month', from_month)::date, date '2000-01-01');
                  if first_month > upto then
                    return 0;
                  end if;
                  -- Fast path: when every month is there, no lock at all (a poster may call this inside its own transaction).
                  if not exists (
                    select 1 from unnest(array['dues_statements', 'receipt_allocations', 'ledger_entries', 'ledger_postings']) as t(name)
                    cross join generate_series(first_month, date_trunc('month', upto), interval '1 month') as m
                    where to_regclass(format('public.%I', format('%s_p%s', t.name, to_char(m, 'YYYY_MM')))) is null)
                  then
                    return 0;
                  end if;
                  -- One creator at a time (class 'Part'); the others wait, then find the months there. Attaching takes
                  -- SHARE UPDATE EXCLUSIVE on the parent only: reads and writes of other months go on meanwhile.
                  perform pg_advisory_xact_lock(1348563572, 0);
                  for missing in
                    select t.name as parent, m::date as month, format('%s_p%s', t.name, to_char(m, 'YYYY_MM')) as part
                    from unnest(array['dues_statements', 'receipt_allocations', 'ledger_entries', 'ledger_postings']) as t(name)
                    cross join generate_series(first_month, date_trunc('month', upto), interval '1 month') as m
                    where not exists (
                      select 1 from pg_inherits i join pg_class c on c.oid = i.inhrelid
                      where i.inhparent = format('public.%I', t.name)::regclass and c.relname = format('%s_p%s', t.name, to_char(m, 'YYYY_MM')))
                    order by 1, 2
                  loop
                    execute format('create table %I (like %I including defaults including constraints including storage)', missing.part, missing.parent);
                    if missing.parent in ('ledger_entries', 'ledger_postings') then
                      -- A statement trigger stays on its table: a TRUNCATE of the partition itself must be refused too.
                      execute format('create trigger %I before truncate on %I for each statement execute function ledger_is_append_only()',
                                     missing.part || '_no_truncate', missing.part);
                    end if;
                    execute format('alter table %I attach partition %I for values from (%L) to (%L)',
                                   missing.parent, missing.part, missing.month, (missing.month + interval '1 month')::date);
                    created := created + 1;
                  end loop;
                  return created;
                end $$;
                revoke all on function ensure_period_partitions(date, date) from public;

                -- The months from 2026-08 to upto, as before (dues generation and every start call it).
                create or replace function ensure_period_partitions(upto date) returns integer
                language sql security definer set search_path = public, pg_temp
                as $$ select ensure_period_partitions(date '2026-08-01', upto) $$;

                -- 2. The old tables step aside (the entries' identity sequence goes; the new table continues its numbers).
                create temp table ledger_ids on commit drop as
                select (select last_value from ledger_entries_id_seq) as v, (select is_called from ledger_entries_id_seq) as called;
                alter table ledger_postings rename to ledger_postings_unpartitioned;
                alter table ledger_entries rename to ledger_entries_unpartitioned;
                alter table ledger_entries_unpartitioned alter column id drop identity;

                -- 3. The partitioned tables: same columns and checks (postings gain their entry's period), the months, the rows.
                create table ledger_entries (like ledger_entries_unpartitioned including defaults including constraints including storage)
                  partition by range (period);
                alter table ledger_entries alter column id add generated by default as identity;
                select setval('ledger_entries_id_seq', v, called) from ledger_ids;
                create table ledger_postings (like ledger_postings_unpartitioned including defaults including constraints including storage,
                                              period date not null)
                  partition by range (period);

                select ensure_period_partitions(date '2026-08-01', (date_trunc('month', now() at time zone 'Asia/Ho_Chi_Minh') + interval '12 months')::date);
                select ensure_period_partitions(m.period, m.period) from (select distinct period from ledger_entries_unpartitioned) m;

                insert into ledger_entries select * from ledger_entries_unpartitioned;
                insert into ledger_postings
                select p.*, e.period from ledger_postings_unpartitioned p
                join ledger_entries_unpartitioned e on e.id = p.entry_id and e.province_id = p.province_id;

                -- 4. Where "a source posts once" lives now (unpartitioned, one narrow row per entry).
                create table ledger_sources (
                  source_kind smallint not null,
                  source_id text not null,
                  province_id bigint not null,
                  entry_id bigint not null,
                  period date not null,
                  constraint ledger_sources_pkey primary key (source_kind, source_id, province_id),
                  -- What each entry's foreign key names: the source row that names that very entry.
                  constraint ux_ledger_sources_entry unique (source_kind, source_id, province_id, entry_id)
                );
                insert into ledger_sources (source_kind, source_id, province_id, entry_id, period)
                select source_kind, source_id, province_id, id, period from ledger_entries_unpartitioned;

                drop table ledger_postings_unpartitioned;
                drop table ledger_entries_unpartitioned;

                -- 5. Keys and indexes, under their old names where they say what they said.
                alter table ledger_entries add constraint ledger_entries_pkey primary key (id, province_id, period);
                -- Reversed at most once: a reversal is in its target's period (the foreign key below), so per period is once.
                create unique index ux_ledger_entries_reverses on ledger_entries (reverses_entry_id, province_id, period);
                create index ix_ledger_entries_org_booking on ledger_entries (org_id, booking_date, id);
                alter table ledger_entries add constraint ledger_entries_org_id_fkey foreign key (org_id) references orgs (id);
                alter table ledger_entries add constraint ledger_entries_reverses_fkey
                  foreign key (reverses_entry_id, province_id, period) references ledger_entries (id, province_id, period);
                alter table ledger_entries add constraint ledger_entries_source_fkey
                  foreign key (source_kind, source_id, province_id, id) references ledger_sources (source_kind, source_id, province_id, entry_id);

                alter table ledger_postings add constraint ledger_postings_pkey primary key (entry_id, line_no, province_id, period);
                create index ix_ledger_postings_account on ledger_postings (org_id, account_type, sub_key, booking_date) include (amount);
                alter table ledger_postings add constraint ledger_postings_org_id_fkey foreign key (org_id) references orgs (id);
                alter table ledger_postings add constraint ledger_postings_entry_fkey
                  foreign key (entry_id, province_id, period) references ledger_entries (id, province_id, period);

                -- 6. Append-only, on the parents (row triggers are cloned onto every partition, new ones included; the
                --    TRUNCATE triggers are each partition's own, created above and by ensure_period_partitions).
                create trigger ledger_entries_no_update_or_delete before update or delete on ledger_entries
                  for each row execute function ledger_is_append_only();
                create trigger ledger_entries_no_truncate before truncate on ledger_entries
                  for each statement execute function ledger_is_append_only();
                create trigger ledger_postings_no_update_or_delete before update or delete on ledger_postings
                  for each row execute function ledger_is_append_only();
                create trigger ledger_postings_no_truncate before truncate on ledger_postings
                  for each statement execute function ledger_is_append_only();
                create trigger ledger_sources_no_update_or_delete before update or delete on ledger_sources
                  for each row execute function ledger_is_append_only();
                create trigger ledger_sources_no_truncate before truncate on ledger_sources
                  for each statement execute function ledger_is_append_only();
                create trigger ledger_entries_province before insert on ledger_entries
                  for each row when (new.province_id is null) execute function fill_province_from_org();
                create trigger ledger_postings_province before insert on ledger_postings
                  for each row when (new.province_id is null) execute function fill_province_from_org();

                """);
            migrationBuilder.Sql(Fees.Persistence.Database.PartitionStatistics.AnalyzeWhereFilledSql("ledger_entries", "ledger_postings", "ledger_sources"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                do $$ begin
                  raise exception 'PartitionLedgerByPeriod is not undone in place: restore the database from the backup taken before it';
                end $$;
                """);
        }
    }
}

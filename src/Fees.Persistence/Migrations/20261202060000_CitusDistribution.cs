using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// The schema follows Citus's rules for distributed tables (issue 12 §4–5), so moving to Citus is
    /// <c>create_distributed_table</c>, not a rewrite (<c>Database/Distribution.cs</c> classifies every table;
    /// <c>CitusRulesTests</c> proves the rules from the catalog). Every distributed table gets a NOT NULL
    /// <c>province_id</c> (the id of the organization's province-level ancestor, <c>orgs.province_id</c>), backfilled
    /// from the organization, the member or the parent row; every primary key and unique key includes it; foreign keys
    /// between distributed tables name it on both sides (co-located), and those that may cross provinces (a member who
    /// moved, the centre's close taking in the provinces') are dropped and checked by the audit check
    /// <c>distributed-references-resolve</c> instead. <c>member_numbers</c> keeps member numbers unique nationally and
    /// answers 'which province' for a member number. A <c>BEFORE INSERT</c> trigger fills <c>province_id</c> when an
    /// insert does not name it (EF-written rows, tests' fixtures); the service's own SQL names it.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202060000_CitusDistribution")]
    public partial class CitusDistribution : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                -- 1. The province key of every organization: the id of the organization whose code is its province_code.
                alter table orgs add column province_id bigint;
                update orgs o set province_id = p.id from orgs p where p.code = o.province_code;
                create index ix_orgs_province_id on orgs (province_id);
                create index ix_orgs_bank_account on orgs (bank_account) where bank_account is not null;

                create function orgs_fill_province() returns trigger language plpgsql as $$
                begin
                  if pg_trigger_depth() > 1 then
                    return null; -- its own update below
                  end if;
                  update orgs o set province_id = p.id
                  from new_rows n join orgs p on p.code = n.province_code
                  where o.id = n.id and o.province_id is distinct from p.id;
                  -- an organization whose province changed takes its organizations along (a province's code never changes)
                  update orgs o set province_id = p.id
                  from orgs p
                  where p.code = o.province_code and o.province_id is distinct from p.id
                    and o.province_code in (select n.code from new_rows n);
                  return null;
                end $$;
                create trigger orgs_province_on_insert after insert on orgs
                  referencing new table as new_rows for each statement execute function orgs_fill_province();
                create trigger orgs_province_on_update after update on orgs
                  referencing new table as new_rows for each statement execute function orgs_fill_province();

                -- 2. The column, backfilled (append-only tables let the owner do this once, with their triggers off).
                create function province_of_org(org bigint) returns bigint language sql stable as $$
                  select coalesce((select o.province_id from orgs o where o.id = org), 0)
                $$;

                alter table members add column province_id bigint;
                update members m set province_id = coalesce((
                  select o.province_id from member_placements p join orgs o on o.id = p.org_id
                  where p.member_id = m.id and p.kind = 'official' order by p.valid_to is null desc, p.valid_from desc limit 1), 0);

                do $$
                declare t text;
                begin
                  foreach t in array array['member_placements', 'dues_statements', 'payment_requests', 'receipts', 'receipt_allocations',
                      'payment_receipts', 'payment_receipt_counters', 'treasurer_actions', 'ledger_entries', 'ledger_postings', 'ledger_balances',
                      'period_closes', 'period_close_waivers', 'remittance_orders'] loop
                    execute format('alter table %I add column province_id bigint', t);
                    execute format('alter table %I disable trigger user', t);
                    execute format('update %I x set province_id = province_of_org(x.org_id)', t);
                    execute format('alter table %I enable trigger user', t);
                  end loop;
                  foreach t in array array['income_records', 'income_declarations', 'fee_decisions', 'voluntary_amounts'] loop
                    execute format('alter table %I add column province_id bigint', t);
                    execute format('alter table %I disable trigger user', t);
                    execute format('update %I x set province_id = coalesce((select m.province_id from members m where m.id = x.member_id), 0)', t);
                    execute format('alter table %I enable trigger user', t);
                  end loop;
                end $$;

                alter table member_transfer_requests add column province_id bigint;
                update member_transfer_requests set province_id = province_of_org(from_org_id);

                alter table statement_cancellations add column province_id bigint;
                alter table statement_cancellations disable trigger user;
                update statement_cancellations c set province_id = s.province_id from dues_statements s where s.id = c.statement_id;
                alter table statement_cancellations enable trigger user;

                alter table period_close_children add column province_id bigint;
                alter table period_close_children disable trigger user;
                update period_close_children c set province_id = p.province_id from period_closes p where p.id = c.parent_close_id;
                alter table period_close_children enable trigger user;

                alter table bank_transactions add column province_id bigint;
                update bank_transactions b set province_id = coalesce(
                  (select o.province_id from orgs o where o.id = b.org_id),
                  (select min(o.province_id) from orgs o where o.bank_account = b.account_number), 0);

                alter table audit_log add column province_id bigint;
                alter table audit_log disable trigger user;
                update audit_log a set province_id = coalesce((select o.province_id from orgs o where o.path = a.org_path), 0);
                alter table audit_log enable trigger user;

                alter table access_trace add column province_id bigint;
                alter table access_trace disable trigger user;
                update access_trace a set province_id = coalesce((select o.id from orgs o where o.code = a.province_code), 0);
                alter table access_trace enable trigger user;

                -- 3. Inserts that do not name province_id get it here (plain PostgreSQL only: on Citus the coordinator
                --    routes a row by the province_id the insert names, so the service's SQL always names it).
                create function fill_province_from_org() returns trigger language plpgsql as $$
                begin new.province_id := province_of_org(new.org_id); return new; end $$;
                create function fill_province_from_member() returns trigger language plpgsql as $$
                begin new.province_id := coalesce((select m.province_id from members m where m.id = new.member_id), 0); return new; end $$;
                create function fill_province_of_member() returns trigger language plpgsql as $$
                begin new.province_id := 0; return new; end $$;
                create function fill_province_of_transfer() returns trigger language plpgsql as $$
                begin new.province_id := province_of_org(new.from_org_id); return new; end $$;
                create function fill_province_of_cancellation() returns trigger language plpgsql as $$
                begin new.province_id := coalesce((select s.province_id from dues_statements s where s.id = new.statement_id), 0); return new; end $$;
                create function fill_province_of_close_child() returns trigger language plpgsql as $$
                begin new.province_id := coalesce((select p.province_id from period_closes p where p.id = new.parent_close_id), 0); return new; end $$;
                create function fill_province_of_bank_line() returns trigger language plpgsql as $$
                begin
                  new.province_id := coalesce((select o.province_id from orgs o where o.id = new.org_id),
                                              (select min(o.province_id) from orgs o where o.bank_account = new.account_number), 0);
                  return new;
                end $$;
                create function fill_province_of_audit() returns trigger language plpgsql as $$
                begin new.province_id := coalesce((select o.province_id from orgs o where o.path = new.org_path), 0); return new; end $$;
                create function fill_province_of_access() returns trigger language plpgsql as $$
                begin new.province_id := coalesce((select o.id from orgs o where o.code = new.province_code), 0); return new; end $$;

                do $$
                declare t text;
                begin
                  foreach t in array array['member_placements', 'dues_statements', 'payment_requests', 'receipts', 'receipt_allocations',
                      'payment_receipts', 'payment_receipt_counters', 'treasurer_actions', 'ledger_entries', 'ledger_postings', 'ledger_balances',
                      'period_closes', 'period_close_waivers', 'remittance_orders'] loop
                    execute format('create trigger %I before insert on %I for each row when (new.province_id is null) execute function fill_province_from_org()', t || '_province', t);
                  end loop;
                  foreach t in array array['income_records', 'income_declarations', 'fee_decisions', 'voluntary_amounts'] loop
                    execute format('create trigger %I before insert on %I for each row when (new.province_id is null) execute function fill_province_from_member()', t || '_province', t);
                  end loop;
                end $$;
                create trigger members_province before insert on members for each row when (new.province_id is null) execute function fill_province_of_member();
                create trigger member_transfer_requests_province before insert on member_transfer_requests for each row when (new.province_id is null) execute function fill_province_of_transfer();
                create trigger statement_cancellations_province before insert on statement_cancellations for each row when (new.province_id is null) execute function fill_province_of_cancellation();
                create trigger period_close_children_province before insert on period_close_children for each row when (new.province_id is null) execute function fill_province_of_close_child();
                create trigger bank_transactions_province before insert on bank_transactions for each row when (new.province_id is null) execute function fill_province_of_bank_line();
                create trigger audit_log_province before insert on audit_log for each row when (new.province_id is null) execute function fill_province_of_audit();
                create trigger access_trace_province before insert on access_trace for each row when (new.province_id is null) execute function fill_province_of_access();

                -- A member's row follows the member's current official placement (in plain PostgreSQL; on Citus a move
                -- between provinces re-inserts the member's row, see docs/scaling.md).
                create function members_follow_placement() returns trigger language plpgsql as $$
                begin
                  update members m set province_id = n.province_id
                  from (select distinct on (member_id) member_id, province_id from new_rows
                        where kind = 'official' and valid_to is null order by member_id, valid_from desc) n
                  where m.id = n.member_id and m.province_id is distinct from n.province_id;
                  return null;
                end $$;
                create trigger member_placements_move_member after insert on member_placements
                  referencing new table as new_rows for each statement execute function members_follow_placement();

                -- 4. The directory: a member number names one member nationally, and says in which province to look.
                create table member_numbers (
                  member_no text primary key,
                  member_id bigint not null,
                  province_id bigint not null
                );
                insert into member_numbers (member_no, member_id, province_id) select member_no, id, province_id from members;
                create function member_numbers_follow() returns trigger language plpgsql as $$
                begin
                  if tg_op = 'UPDATE' then
                    delete from member_numbers d using old_rows o where d.member_no = o.member_no and d.member_id = o.id;
                  end if;
                  insert into member_numbers (member_no, member_id, province_id)
                  select n.member_no, n.id, n.province_id from new_rows n;
                  return null;
                end $$;
                create trigger members_numbers_on_insert after insert on members
                  referencing new table as new_rows for each statement execute function member_numbers_follow();
                create trigger members_numbers_on_update after update on members
                  referencing old table as old_rows new table as new_rows for each statement execute function member_numbers_follow();

                do $$
                declare
                  dist text[] := array['members', 'member_placements', 'member_transfer_requests', 'income_records', 'income_declarations',
                    'fee_decisions', 'voluntary_amounts', 'dues_statements', 'statement_cancellations', 'payment_requests', 'bank_transactions',
                    'receipts', 'receipt_allocations', 'treasurer_actions', 'payment_receipts', 'payment_receipt_counters', 'ledger_entries',
                    'ledger_postings', 'ledger_balances', 'period_closes', 'period_close_children', 'period_close_waivers', 'remittance_orders',
                    'audit_log', 'access_trace'];
                  c record;
                  t text;
                begin
                  foreach t in array dist loop
                    execute format('alter table %I alter column province_id set not null', t);
                  end loop;
                  -- 5. Foreign keys into distributed tables are dropped; the co-located ones come back below with province_id.
                  for c in
                    select con.conname, src.relname as src
                    from pg_constraint con join pg_class src on src.oid = con.conrelid join pg_class dst on dst.oid = con.confrelid
                    where con.contype = 'f' and src.relnamespace = 'public'::regnamespace and dst.relname = any(dist)
                  loop
                    execute format('alter table %I drop constraint %I', c.src, c.conname);
                  end loop;
                  -- 6. Every primary key and unique constraint of a distributed table ends with province_id; an
                  --    exclusion constraint (no overlapping placements, decisions) holds per province_id.
                  for c in
                    select con.conname, con.contype, cl.relname, pg_get_constraintdef(con.oid) as def
                    from pg_constraint con join pg_class cl on cl.oid = con.conrelid
                    where cl.relnamespace = 'public'::regnamespace and cl.relname = any(dist) and con.contype in ('p', 'u', 'x')
                  loop
                    execute format('alter table %I drop constraint %I', c.relname, c.conname);
                    execute format('alter table %I add constraint %I %s', c.relname, c.conname,
                                   case when c.contype = 'x' then regexp_replace(c.def, 'USING gist \(', 'USING gist (province_id WITH =, ')
                                        else regexp_replace(c.def, '\(([^)]*)\)', '(\1, province_id)') end);
                  end loop;
                  -- … and so does every unique index.
                  for c in
                    select ic.relname as iname, pg_get_indexdef(i.indexrelid) as def
                    from pg_index i join pg_class cl on cl.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
                    where cl.relnamespace = 'public'::regnamespace and cl.relname = any(dist) and i.indisunique
                      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
                  loop
                    execute format('drop index %I', c.iname);
                    execute regexp_replace(c.def, 'USING btree \(([^)]*)\)', 'USING btree (\1, province_id)');
                  end loop;
                end $$;

                -- 7. Co-located foreign keys: the same province on both sides.
                alter table statement_cancellations add constraint statement_cancellations_statement_fkey
                  foreign key (statement_id, province_id) references dues_statements (id, province_id) on delete restrict;
                alter table receipt_allocations add constraint receipt_allocations_receipt_fkey
                  foreign key (receipt_id, province_id) references receipts (id, province_id);
                alter table payment_receipts add constraint payment_receipts_receipt_fkey
                  foreign key (receipt_id, province_id) references receipts (id, province_id);
                alter table treasurer_actions add constraint treasurer_actions_receipt_fkey
                  foreign key (receipt_id, province_id) references receipts (id, province_id);
                alter table ledger_postings add constraint ledger_postings_entry_fkey
                  foreign key (entry_id, province_id) references ledger_entries (id, province_id);
                alter table ledger_entries add constraint ledger_entries_reverses_fkey
                  foreign key (reverses_entry_id, province_id) references ledger_entries (id, province_id);
                alter table period_close_children add constraint period_close_children_parent_fkey
                  foreign key (parent_close_id, province_id) references period_closes (id, province_id);
                alter table remittance_orders add constraint remittance_orders_close_fkey
                  foreign key (close_id, province_id) references period_closes (id, province_id);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                do $$ begin
                  raise exception 'CitusDistribution is not undone in place: restore the database from the backup taken before it';
                end $$;
                """);
        }
    }
}

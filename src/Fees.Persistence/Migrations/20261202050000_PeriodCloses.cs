using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// Close and remittance (issue 11). <c>retention_rules</c> is the retention policy as data (effective-dated,
    /// append-only: a new policy is a new row from a period on). <c>period_closes</c> is one organization's close of one
    /// period with its split, frozen; only its status may move (closed → reopened, when its remittance order is cancelled
    /// before the money left). <c>period_close_children</c> records which children's closes a parent's close took in.
    /// <c>period_close_waivers</c> lets a parent close without a child that cannot (with a reason). <c>remittance_orders</c>
    /// is what a close passes up, with its own <c>DR…</c> reference and a VietQR into the parent's account; its status
    /// moves only as <c>RemittanceOrderLifecycle</c> allows (the table <c>remittance_order_transitions</c> is written from
    /// it at every start, like the statements').
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202050000_PeriodCloses")]
    public partial class PeriodCloses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create table retention_rules (
                  id text primary key check (id ~ '^[a-z0-9][a-z0-9/._-]{0,99}$'),
                  child_org_id bigint null references orgs (id),
                  child_kind text null check (child_kind in ('central', 'province', 'upper', 'base_committee', 'base_cell', 'sub_committee', 'cell')),
                  child_setting text null check (child_setting in ('commune', 'enterprise', 'other')),
                  parent_kind text null check (parent_kind in ('central', 'province', 'upper', 'base_committee', 'base_cell', 'sub_committee', 'cell')),
                  effective_from date not null check (extract(day from effective_from) = 1 and effective_from >= date '2026-08-01'),
                  remit_basis_points integer not null check (remit_basis_points between 0 and 10000),
                  basis text not null check (basis in ('collected', 'subtree')),
                  rounding text not null check (rounding in ('down', 'half_up')),
                  description text not null check (length(description) between 1 and 500),
                  created_by text not null,
                  created_at timestamptz not null default now()
                );
                -- Two rules with the same selector and start would make the choice arbitrary.
                create unique index ux_retention_rules_selector on retention_rules
                  (coalesce(child_org_id, 0), coalesce(child_kind, ''), coalesce(child_setting, ''), coalesce(parent_kind, ''), effective_from);
                create trigger retention_rules_no_update_or_delete before update or delete on retention_rules
                  for each row execute function ledger_is_append_only();

                create table close_cadences (
                  org_id bigint primary key references orgs (id),
                  cadence text not null check (cadence in ('monthly', 'quarterly')),
                  set_by text not null,
                  set_at timestamptz not null
                );

                create table period_closes (
                  id bigint generated always as identity primary key,
                  org_id bigint not null references orgs (id),
                  period date not null check (extract(day from period) = 1 and period >= date '2026-08-01'),
                  revision integer not null check (revision >= 1),
                  parent_org_id bigint null references orgs (id),
                  cadence text not null check (cadence in ('monthly', 'quarterly')),
                  own_collected bigint not null check (own_collected >= 0),
                  received_from_children bigint not null check (received_from_children >= 0),
                  subtree_collected bigint not null check (subtree_collected >= 0),
                  retained bigint not null check (retained >= 0),
                  remitted bigint not null check (remitted >= 0),
                  shortfall bigint not null check (shortfall >= 0),
                  rule_id text null references retention_rules (id),
                  status text not null check (status in ('closed', 'reopened')),
                  closed_by text not null,
                  closed_at timestamptz not null,
                  reopened_by text null,
                  reopened_at timestamptz null,
                  reopen_reason text null,
                  request_id text null,
                  constraint ck_period_closes_split check (own_collected + received_from_children = retained + remitted),
                  constraint ck_period_closes_parent check (parent_org_id is not null or remitted = 0),
                  constraint ck_period_closes_reopened check ((status = 'reopened') = (reopened_at is not null)),
                  constraint ux_period_closes_revision unique (org_id, period, revision)
                );
                -- Closing twice is refused by the database, whatever the races: one standing close per organization and period.
                create unique index ux_period_closes_standing on period_closes (org_id, period) where status = 'closed';
                create index ix_period_closes_parent on period_closes (parent_org_id, period) where status = 'closed';

                -- A close is frozen: only closed -> reopened (with who, when and why) may change, nothing is deleted.
                create function period_closes_frozen() returns trigger language plpgsql as $$
                begin
                  if tg_op <> 'UPDATE' or old.status <> 'closed' or new.status <> 'reopened'
                     or (old.id, old.org_id, old.period, old.revision, old.parent_org_id, old.cadence, old.own_collected, old.received_from_children,
                         old.subtree_collected, old.retained, old.remitted, old.shortfall, old.rule_id, old.closed_by, old.closed_at)
                        is distinct from
                        (new.id, new.org_id, new.period, new.revision, new.parent_org_id, new.cadence, new.own_collected, new.received_from_children,
                         new.subtree_collected, new.retained, new.remitted, new.shortfall, new.rule_id, new.closed_by, new.closed_at) then
                    raise exception 'period_closes is frozen: only closed -> reopened is allowed' using errcode = 'insufficient_privilege';
                  end if;
                  return new;
                end $$;
                create trigger period_closes_frozen before update or delete on period_closes
                  for each row execute function period_closes_frozen();

                create table period_close_children (
                  parent_close_id bigint not null references period_closes (id),
                  child_close_id bigint not null references period_closes (id),
                  primary key (parent_close_id, child_close_id)
                );
                create index ix_period_close_children_child on period_close_children (child_close_id);
                create trigger period_close_children_no_update_or_delete before update or delete on period_close_children
                  for each row execute function ledger_is_append_only();

                create table period_close_waivers (
                  id bigint generated always as identity primary key,
                  org_id bigint not null references orgs (id),
                  period date not null check (extract(day from period) = 1 and period >= date '2026-08-01'),
                  reason text not null check (length(reason) between 5 and 500),
                  waived_by text not null,
                  waived_at timestamptz not null,
                  constraint ux_period_close_waivers unique (org_id, period)
                );
                create trigger period_close_waivers_no_update_or_delete before update or delete on period_close_waivers
                  for each row execute function ledger_is_append_only();

                create table remittance_order_transitions (
                  from_status text not null,
                  to_status text not null,
                  primary key (from_status, to_status)
                );

                create table remittance_orders (
                  id bigint generated by default as identity primary key,
                  close_id bigint not null references period_closes (id),
                  org_id bigint not null references orgs (id),
                  parent_org_id bigint not null references orgs (id),
                  period date not null,
                  amount bigint not null check (amount > 0),
                  reference char(10) not null check (reference ~ '^DR[2-9A-HJKMNP-Z]{8}$'),
                  purpose text not null check (length(purpose) <= 25),
                  bank_bin char(6) null,
                  account_number text null,
                  account_name text null,
                  payload text null,
                  status text not null check (status in ('created', 'instructed', 'paid', 'confirmed', 'cancelled')),
                  created_by text not null,
                  created_at timestamptz not null,
                  instructed_by text null,
                  instructed_at timestamptz null,
                  paid_by text null,
                  paid_at timestamptz null,
                  paid_transaction_id bigint null references bank_transactions (id),
                  confirmed_at timestamptz null,
                  confirmed_transaction_id bigint null references bank_transactions (id),
                  cancelled_by text null,
                  cancelled_at timestamptz null,
                  cancel_reason text null,
                  constraint ux_remittance_orders_close unique (close_id),
                  constraint ux_remittance_orders_reference unique (reference),
                  -- One bank credit confirms at most one order.
                  constraint ux_remittance_orders_confirmed_by unique (confirmed_transaction_id),
                  constraint ux_remittance_orders_paid_by unique (paid_transaction_id)
                );
                create index ix_remittance_orders_org on remittance_orders (org_id, period);
                create index ix_remittance_orders_parent on remittance_orders (parent_org_id, period);

                create function remittance_orders_check_moves() returns trigger language plpgsql as $$
                begin
                  if tg_op = 'INSERT' then
                    if new.status <> 'created' then
                      raise exception 'remittance order % cannot start in status %', new.id, new.status using errcode = '23514';
                    end if;
                  elsif tg_op = 'DELETE' then
                    raise exception 'remittance orders are never deleted' using errcode = 'insufficient_privilege';
                  elsif old.status <> new.status and not exists (
                      select 1 from remittance_order_transitions t where t.from_status = old.status and t.to_status = new.status) then
                    raise exception 'remittance order % cannot move from % to %', old.id, old.status, new.status
                      using errcode = '23514', hint = 'The remittance order lifecycle (RemittanceOrderLifecycle) decides every status.';
                  elsif (old.close_id, old.org_id, old.parent_org_id, old.period, old.amount, old.reference)
                        is distinct from (new.close_id, new.org_id, new.parent_org_id, new.period, new.amount, new.reference) then
                    raise exception 'a remittance order''s amount, reference and parties never change' using errcode = 'insufficient_privilege';
                  end if;
                  return coalesce(new, old);
                end $$;
                create trigger remittance_orders_check_moves before insert or update or delete on remittance_orders
                  for each row execute function remittance_orders_check_moves();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop table if exists remittance_orders;
                drop function if exists remittance_orders_check_moves();
                drop table if exists remittance_order_transitions;
                drop table if exists period_close_waivers;
                drop table if exists period_close_children;
                drop table if exists period_closes;
                drop function if exists period_closes_frozen();
                drop table if exists close_cadences;
                drop table if exists retention_rules;
                """);
        }
    }
}

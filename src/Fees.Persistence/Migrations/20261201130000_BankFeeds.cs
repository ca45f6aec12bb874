using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// Bank feeds (issue 10). <c>bank_transactions</c> is the inbox: every transaction a provider reported, with the raw
    /// body and headers exactly as received, stored once (unique per provider and transaction id, and per account and bank
    /// reference, so one transaction seen by two providers is one). <c>receipts</c> is money an organization received (a
    /// bank credit into its account, or cash its treasurer took), <c>receipt_allocations</c> what of it paid which dues
    /// statement. Plain SQL tables: the bulk paths write them set-based; no EF entities.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261201130000_BankFeeds")]
    public partial class BankFeeds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create table bank_transactions (
                  id bigint generated always as identity primary key,
                  provider text not null check (provider in ('generic', 'sepay', 'casso')),
                  transaction_id text not null check (length(transaction_id) between 1 and 100),
                  channel text not null check (channel in ('webhook', 'history')),
                  bank_reference text check (length(bank_reference) between 1 and 100),
                  bank_bin char(6),
                  account_number text not null check (length(account_number) between 1 and 19),
                  sub_account text,
                  direction text not null check (direction in ('in', 'out')),
                  amount bigint not null check (amount > 0 and amount < 1000000000000),
                  content text not null check (length(content) <= 1000),
                  raw_description text,
                  counterparty_name text,
                  counterparty_account text,
                  running_balance bigint,
                  booked_at timestamptz not null,
                  received_at timestamptz not null,
                  raw_body bytea not null,
                  raw_headers jsonb not null,
                  org_id bigint references orgs (id),
                  state text not null default 'accepted' check (state in ('accepted', 'processed', 'ignored')),
                  processed_at timestamptz,
                  constraint ux_bank_transactions_provider_id unique (provider, transaction_id)
                );
                create unique index ux_bank_transactions_bank_reference on bank_transactions (account_number, bank_reference, direction)
                  where bank_reference is not null;
                create index ix_bank_transactions_accepted on bank_transactions (id) where state = 'accepted';
                create index ix_bank_transactions_org on bank_transactions (org_id, booked_at);

                create table receipts (
                  id bigint generated always as identity primary key,
                  org_id bigint not null references orgs (id),
                  source text not null check (source in ('bank', 'cash')),
                  bank_transaction_id bigint unique references bank_transactions (id),
                  amount bigint not null check (amount > 0 and amount < 1000000000000),
                  allocated bigint not null default 0,
                  credited bigint not null default 0,
                  refunded bigint not null default 0,
                  deposited bigint not null default 0,
                  status text not null check (status in ('matched', 'partially_matched', 'unmatched', 'refunded')),
                  content text not null,
                  counterparty_name text,
                  member_id bigint references members (id),
                  reference text,
                  resolution text not null,
                  note text,
                  booked_at timestamptz not null,
                  booking_date date not null,
                  recorded_by text not null,
                  created_at timestamptz not null,
                  updated_at timestamptz not null,
                  constraint ck_receipts_division check (allocated >= 0 and credited >= 0 and refunded >= 0 and deposited >= 0
                                                         and allocated + credited + refunded + deposited <= amount),
                  constraint ck_receipts_bank_has_transaction check ((source = 'bank') = (bank_transaction_id is not null))
                );
                create index ix_receipts_org_date on receipts (org_id, booking_date);
                create index ix_receipts_org_open on receipts (org_id, id) where status in ('unmatched', 'partially_matched');
                create index ix_receipts_member on receipts (member_id) where member_id is not null;

                create table receipt_allocations (
                  id bigint generated always as identity primary key,
                  receipt_id bigint not null references receipts (id),
                  statement_id bigint not null references dues_statements (id),
                  member_id bigint not null references members (id),
                  period date not null,
                  org_id bigint not null references orgs (id),
                  amount bigint not null check (amount > 0),
                  kind text not null check (kind in ('auto', 'manual', 'credit')),
                  created_by text not null,
                  created_at timestamptz not null
                );
                create index ix_receipt_allocations_receipt on receipt_allocations (receipt_id);
                create index ix_receipt_allocations_statement on receipt_allocations (statement_id);

                -- What a treasurer did to the books (allocate by hand, refund, take cash, confirm a deposit), once per key:
                -- the client's Idempotency-Key, or the hash of what was asked. A repeated request answers the first's result.
                create table treasurer_actions (
                  id bigint generated always as identity primary key,
                  org_id bigint not null references orgs (id),
                  kind text not null check (kind in ('allocate', 'refund', 'cash', 'deposit')),
                  key text not null check (length(key) between 1 and 200),
                  receipt_id bigint references receipts (id),
                  result jsonb,
                  created_by text not null,
                  created_at timestamptz not null,
                  constraint ux_treasurer_actions_key unique (org_id, kind, key)
                );
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop table treasurer_actions;
                drop table receipt_allocations;
                drop table receipts;
                drop table bank_transactions;
                """);
        }
    }
}

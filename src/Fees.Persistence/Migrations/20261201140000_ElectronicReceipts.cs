using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// Electronic receipts (biên lai thu đảng phí, issue 10 item 5). <c>payment_receipts</c> holds each receipt as issued:
    /// its number, everything it prints (a snapshot, so a later rename never changes an issued receipt) and its ECDSA
    /// signature; at most one per money received and member. <c>payment_receipt_counters</c> keeps the last number per
    /// organization and calendar year; issuing increments it in the same transaction (an upsert that locks the row), so
    /// numbers have neither gaps nor duplicates however many bookings race. Receipts are documents: no role may update,
    /// delete or truncate them (trigger), whatever its grants.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261201140000_ElectronicReceipts")]
    public partial class ElectronicReceipts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create table payment_receipt_counters (
                  org_id bigint not null references orgs (id),
                  year integer not null check (year between 2000 and 9999),
                  last_number integer not null check (last_number > 0),
                  primary key (org_id, year)
                );

                create table payment_receipts (
                  id bigint generated always as identity primary key,
                  receipt_id bigint not null references receipts (id),
                  member_id bigint not null references members (id),
                  org_id bigint not null references orgs (id),
                  year integer not null check (year between 2000 and 9999),
                  number integer not null check (number > 0),
                  org_code text not null,
                  org_name text not null,
                  parent_org_name text,
                  member_no text not null,
                  member_name text not null,
                  amount bigint not null check (amount > 0 and amount < 1000000000000),
                  periods date[] not null,
                  period_amounts bigint[] not null,
                  credit bigint not null check (credit >= 0),
                  method text not null check (method in ('bank', 'cash')),
                  collector text not null,
                  collected_on date not null,
                  issued_at timestamptz not null check (issued_at = date_trunc('second', issued_at)),
                  key_id text not null check (key_id ~ '^[0-9a-f]{16}$'),
                  signature text not null check (signature ~ '^[A-Za-z0-9_-]{86}$'),
                  issued_by text not null,
                  constraint ux_payment_receipts_number unique (org_id, year, number),
                  constraint ux_payment_receipts_public_id unique (org_code, year, number),
                  constraint ux_payment_receipts_receipt_member unique (receipt_id, member_id),
                  constraint ck_payment_receipts_periods check (cardinality(periods) = cardinality(period_amounts))
                );
                create index ix_payment_receipts_member on payment_receipts (member_id, issued_at);

                create function payment_receipts_are_documents() returns trigger language plpgsql as $$
                begin
                  raise exception 'payment_receipts is append-only: % is not allowed (an issued receipt never changes)', tg_op
                    using errcode = 'insufficient_privilege';
                end $$;
                create trigger payment_receipts_no_update_or_delete before update or delete on payment_receipts
                  for each row execute function payment_receipts_are_documents();
                create trigger payment_receipts_no_truncate before truncate on payment_receipts
                  for each statement execute function payment_receipts_are_documents();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop table payment_receipts;
                drop function payment_receipts_are_documents();
                drop table payment_receipt_counters;
                """);
        }
    }
}

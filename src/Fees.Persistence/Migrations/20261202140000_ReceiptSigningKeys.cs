using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// Every public key biên lai are signed with, by the key id each biên lai names (issue 12 §5: several instances on
    /// one database, each possibly with a key of its own, and keys replaced over the years). An instance registers its
    /// key before its first biên lai (<c>ReceiptKeys</c>); the foreign key holds every new biên lai to a registered key
    /// (NOT VALID: biên lai issued before this migration are checked by the audit, their key registered when the
    /// instance holding it starts). The keys are documents: append-only whatever the grants, and the service's role
    /// cannot update or delete them. The id is the first 8 bytes of the SHA-256 of the key, re-derived on every read, so
    /// a row cannot pass one key off as another. A reference table on Citus (a handful of rows every worker may check).
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202140000_ReceiptSigningKeys")]
    public partial class ReceiptSigningKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create table receipt_signing_keys (
                  key_id text primary key check (key_id ~ '^[0-9a-f]{16}$'),
                  public_key_pem text not null check (length(public_key_pem) between 100 and 1000),
                  registered_at timestamptz not null default now()
                );

                create function receipt_signing_keys_are_documents() returns trigger language plpgsql as $$
                begin
                  raise exception 'receipt_signing_keys is append-only: % is not allowed (biên lai signed with a key must stay verifiable)', tg_op
                    using errcode = 'insufficient_privilege';
                end $$;
                create trigger receipt_signing_keys_no_update_or_delete before update or delete on receipt_signing_keys
                  for each row execute function receipt_signing_keys_are_documents();
                create trigger receipt_signing_keys_no_truncate before truncate on receipt_signing_keys
                  for each statement execute function receipt_signing_keys_are_documents();

                alter table payment_receipts add constraint payment_receipts_key_fkey
                  foreign key (key_id) references receipt_signing_keys (key_id) not valid;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                alter table payment_receipts drop constraint payment_receipts_key_fkey;
                drop table receipt_signing_keys;
                drop function receipt_signing_keys_are_documents();
                """);
        }
    }
}

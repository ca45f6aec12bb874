using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// The access trace ("ghi vết truy cập"): every read of a member's personal records, every export and every sign-in,
    /// apart from the change audit. Plain SQL (no EF entity): written by <c>AccessTraceWriter</c> in binary COPY batches,
    /// read by <c>AccessTraceQuery</c>. Append-only for everyone: statement-level triggers refuse UPDATE, DELETE and
    /// TRUNCATE (also on an empty table), and the service's role has no such grants (<c>DatabaseRoles.GrantAppRole</c>).
    /// Indexed for the auditor's filters (member, user, action, time) and scope (organization path prefix).
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261201110000_AccessTrace")]
    public partial class AccessTraceTable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create table access_trace (
                  id bigint generated always as identity primary key,
                  at timestamptz not null,
                  username varchar(100) not null,
                  role varchar(20),
                  action varchar(50) not null,
                  target_type varchar(10),
                  target varchar(100),
                  org_path text,
                  province_code varchar(30),
                  client_address inet,
                  request_id varchar(100),
                  status smallint
                );
                comment on table access_trace is 'Who read which personal records, exported what, signed in (or tried): append-only, apart from audit_log.';

                create index ix_access_trace_at on access_trace (at);
                create index ix_access_trace_target on access_trace (target_type, target, at);
                create index ix_access_trace_username on access_trace (username, at);
                create index ix_access_trace_action on access_trace (action, at);
                create index ix_access_trace_org_path on access_trace (org_path text_pattern_ops);

                create function access_trace_is_append_only() returns trigger language plpgsql as $$
                begin
                  raise exception 'access_trace is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
                end $$;
                create trigger access_trace_no_update_or_delete before update or delete on access_trace
                  for each statement execute function access_trace_is_append_only();
                create trigger access_trace_no_truncate before truncate on access_trace
                  for each statement execute function access_trace_is_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop table access_trace;
                drop function access_trace_is_append_only();
                """);
        }
    }
}

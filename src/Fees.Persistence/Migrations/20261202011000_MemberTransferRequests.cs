using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// A move to an organization outside the sending office's subtree is a request the receiving side accepts (chuyển
    /// sinh hoạt đảng, issue 9): <c>member_transfer_requests</c>, one row per request, its status moved by
    /// <c>MemberTransferRequest</c>'s lifecycle (requested → accepted, rejected or cancelled) with a compare-and-set on
    /// the status. A unique partial index lets a member have at most one open request; the row is never deleted (the
    /// service's role has no DELETE on it). Plain SQL: no EF entity.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202011000_MemberTransferRequests")]
    public partial class MemberTransferRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create table member_transfer_requests (
                  id bigint generated always as identity primary key,
                  member_id bigint not null references members (id) on delete restrict,
                  from_org_id bigint not null references orgs (id) on delete restrict,
                  to_org_id bigint not null references orgs (id) on delete restrict,
                  effective_from date not null,
                  reference text check (length(reference) between 1 and 200),
                  status text not null check (status in ('requested', 'accepted', 'rejected', 'cancelled')),
                  requested_by text not null check (length(requested_by) between 1 and 100),
                  requested_at timestamptz not null,
                  decided_by text check (length(decided_by) between 1 and 100),
                  decided_at timestamptz,
                  reason text check (length(reason) between 1 and 500),
                  placed_from date,
                  check (from_org_id <> to_org_id),
                  check ((status = 'requested') = (decided_at is null)),
                  check ((status = 'accepted') = (placed_from is not null)),
                  check (status <> 'rejected' or reason is not null)
                );

                create unique index ux_member_transfer_requests_one_open on member_transfer_requests (member_id) where status = 'requested';
                create index ix_member_transfer_requests_to_org on member_transfer_requests (to_org_id, requested_at desc);
                create index ix_member_transfer_requests_from_org on member_transfer_requests (from_org_id, requested_at desc);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop table member_transfer_requests;");
        }
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// The audit log by action, newest first (<c>/api/audit?action=</c> and the auditor's page): no index led with the
    /// action, so the page walked the log backwards by id (or an auditor's subtree by path) and filtered every record
    /// until it had a page of that action (NationalBench pages at scale 0.1: 505 ms a call, 10 s at worst).
    /// <c>(action, id)</c> is read backwards for <c>order by id desc</c>, so a page of one action reads that page's rows.
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202200000_AuditByAction")]
    public partial class AuditByAction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("create index if not exists ix_audit_log_action on audit_log (action, id);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop index if exists ix_audit_log_action;");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Payments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "payment_requests",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    member_id = table.Column<long>(type: "bigint", nullable: false),
                    org_id = table.Column<long>(type: "bigint", nullable: false),
                    amount = table.Column<long>(type: "bigint", nullable: false),
                    reference = table.Column<string>(type: "character(10)", fixedLength: true, maxLength: 10, nullable: false),
                    periods = table.Column<DateOnly[]>(type: "date[]", nullable: false),
                    purpose = table.Column<string>(type: "character varying(25)", maxLength: 25, nullable: false),
                    bank_bin = table.Column<string>(type: "character(6)", fixedLength: true, maxLength: 6, nullable: false),
                    account_number = table.Column<string>(type: "character varying(19)", maxLength: 19, nullable: false),
                    account_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    payload = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    closed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_payment_requests", x => x.id);
                    table.CheckConstraint("ck_payment_requests_amount", "amount > 0 and amount < 500000000");
                    table.CheckConstraint("ck_payment_requests_periods", "cardinality(periods) > 0");
                    table.CheckConstraint("ck_payment_requests_purpose", "char_length(purpose) <= 25 and starts_with(purpose, reference)");
                    table.CheckConstraint("ck_payment_requests_status", "status in ('open', 'paid', 'superseded', 'expired')");
                    table.ForeignKey(
                        name: "fk_payment_requests_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_payment_requests_orgs_org_id",
                        column: x => x.org_id,
                        principalTable: "orgs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_payment_requests_member_id_created_at",
                table: "payment_requests",
                columns: new[] { "member_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_payment_requests_org_id_status",
                table: "payment_requests",
                columns: new[] { "org_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_payment_requests_reference",
                table: "payment_requests",
                column: "reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ux_payment_requests_one_open_per_member",
                table: "payment_requests",
                column: "member_id",
                unique: true,
                filter: "status = 'open'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "payment_requests");
        }
    }
}

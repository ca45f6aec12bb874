using System;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Dues : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dues_statements",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    member_id = table.Column<long>(type: "bigint", nullable: false),
                    period = table.Column<DateOnly>(type: "date", nullable: false),
                    org_id = table.Column<long>(type: "bigint", nullable: false),
                    amount = table.Column<long>(type: "bigint", nullable: false),
                    paid = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    rule_id = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    explanation = table.Column<string>(type: "text", nullable: false),
                    applied_rule_ids = table.Column<string[]>(type: "text[]", nullable: false),
                    inputs = table.Column<JsonDocument>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dues_statements", x => x.id);
                    table.CheckConstraint("ck_dues_amounts", "amount >= 0 and paid >= 0 and paid <= amount");
                    table.CheckConstraint("ck_dues_on_system", "period >= date '2026-08-01'");
                    table.CheckConstraint("ck_dues_period_first_day", "extract(day from period) = 1");
                    table.ForeignKey(
                        name: "fk_dues_statements_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_dues_statements_orgs_org_id",
                        column: x => x.org_id,
                        principalTable: "orgs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "fee_decisions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    member_id = table.Column<long>(type: "bigint", nullable: false),
                    reason = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    reduction_percent = table.Column<int>(type: "integer", nullable: false),
                    decided_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    document_ref = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    valid_from = table.Column<DateOnly>(type: "date", nullable: false),
                    valid_to = table.Column<DateOnly>(type: "date", nullable: false),
                    note = table.Column<string>(type: "text", nullable: true),
                    recorded_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_fee_decisions", x => x.id);
                    table.CheckConstraint("ck_fee_decisions_at_most_12_months", "valid_to >= valid_from and valid_to < (valid_from + interval '12 months')");
                    table.CheckConstraint("ck_fee_decisions_percent", "reduction_percent in (30, 50, 70, 100)");
                    table.ForeignKey(
                        name: "fk_fee_decisions_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "voluntary_amounts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    member_id = table.Column<long>(type: "bigint", nullable: false),
                    amount = table.Column<long>(type: "bigint", nullable: false),
                    approved_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    document_ref = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    valid_from = table.Column<DateOnly>(type: "date", nullable: false),
                    valid_to = table.Column<DateOnly>(type: "date", nullable: true),
                    recorded_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_voluntary_amounts", x => x.id);
                    table.CheckConstraint("ck_voluntary_positive", "amount > 0");
                    table.ForeignKey(
                        name: "fk_voluntary_amounts_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_dues_statements_member_id_period",
                table: "dues_statements",
                columns: new[] { "member_id", "period" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_dues_statements_org_id_period",
                table: "dues_statements",
                columns: new[] { "org_id", "period" });

            migrationBuilder.CreateIndex(
                name: "ix_dues_statements_period_status",
                table: "dues_statements",
                columns: new[] { "period", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_fee_decisions_member_id_valid_from",
                table: "fee_decisions",
                columns: new[] { "member_id", "valid_from" });

            migrationBuilder.CreateIndex(
                name: "ix_voluntary_amounts_member_id_valid_from",
                table: "voluntary_amounts",
                columns: new[] { "member_id", "valid_from" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dues_statements");

            migrationBuilder.DropTable(
                name: "fee_decisions");

            migrationBuilder.DropTable(
                name: "voluntary_amounts");
        }
    }
}

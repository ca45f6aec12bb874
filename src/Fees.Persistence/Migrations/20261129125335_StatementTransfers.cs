using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StatementTransfers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_dues_statements_member_id_period",
                table: "dues_statements");

            migrationBuilder.AddColumn<long>(
                name: "transferred_from_id",
                table: "dues_statements",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_dues_statements_member_id_period",
                table: "dues_statements",
                columns: new[] { "member_id", "period" },
                unique: true,
                filter: "status <> 'transferred'");

            migrationBuilder.CreateIndex(
                name: "ix_dues_statements_transferred_from_id",
                table: "dues_statements",
                column: "transferred_from_id",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_dues_statements_dues_statements_transferred_from_id",
                table: "dues_statements",
                column: "transferred_from_id",
                principalTable: "dues_statements",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_dues_statements_dues_statements_transferred_from_id",
                table: "dues_statements");

            migrationBuilder.DropIndex(
                name: "ix_dues_statements_member_id_period",
                table: "dues_statements");

            migrationBuilder.DropIndex(
                name: "ix_dues_statements_transferred_from_id",
                table: "dues_statements");

            migrationBuilder.DropColumn(
                name: "transferred_from_id",
                table: "dues_statements");

            migrationBuilder.CreateIndex(
                name: "ix_dues_statements_member_id_period",
                table: "dues_statements",
                columns: new[] { "member_id", "period" },
                unique: true);
        }
    }
}

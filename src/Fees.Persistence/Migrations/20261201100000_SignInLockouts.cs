using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// The permanent lock after 10 wrong passwords becomes a temporary lockout that grows (<c>SignInLockout</c>): the
    /// slow-down's column now holds the lockout's end, <c>lockouts</c> counts the lockouts of the current run of
    /// failures. Accounts the old rule locked (locked with 10 failures counted; an admin's lock reset the count to 0)
    /// are released into a first, 15-minute lockout: only an admin's lock stays until an admin unlocks.
    /// </summary>
    public partial class SignInLockouts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "throttled_until",
                table: "users",
                newName: "locked_out_until");

            migrationBuilder.AddColumn<int>(
                name: "lockouts",
                table: "users",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.Sql("""
                update users set is_locked = false, lockouts = 1, locked_out_until = now() + interval '15 minutes'
                where is_locked and failed_attempts >= 10;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "lockouts",
                table: "users");

            migrationBuilder.RenameColumn(
                name: "locked_out_until",
                table: "users",
                newName: "throttled_until");
        }
    }
}

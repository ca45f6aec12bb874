using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// Lists a person reads page by page are ordered in the database, so a page can be read alone: <c>fees_vi</c>, the
    /// Vietnamese collation (ICU, as Debian's and the official PostgreSQL builds have it; the byte order of "C" where a
    /// server was built without ICU), orders names by Vietnamese rules (given name first, as party lists are read).
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202012000_VietnameseNameOrder")]
    public partial class VietnameseNameOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                do $$
                begin
                  if exists (select 1 from pg_collation where collprovider = 'i') then
                    create collation if not exists fees_vi (provider = icu, locale = 'vi-VN');
                  else
                    create collation if not exists fees_vi from "C";
                  end if;
                end $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop collation if exists fees_vi;");
        }
    }
}

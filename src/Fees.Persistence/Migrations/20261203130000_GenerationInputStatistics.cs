using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// Dues generation plans one query over every placed member with their organization, income, decision and voluntary
    /// amount. Run right after an import (a province's members loaded, then its month generated), those tables have no
    /// column statistics yet, or ones from before the import: the planner then guessed 1,497 of 100,000 placements and
    /// 21 of 4,383 organizations and joined them by a nested loop that compared 203 million pairs (FeesBench, 16 s
    /// instead of 0.3 s; quadratic, so hours for a large province). The service's role may not ANALYZE tables it does
    /// not own, so <c>generation_statistics_refresh()</c>, owned by the owner and run with its rights, analyzes those of
    /// the generation's inputs that hold rows and were never analyzed, or have had more than a fifth of their rows
    /// (and at least 500) changed since; the others are left alone, so a call on settled tables costs a catalog read.
    /// Generation calls it before it plans its query, outside its own transaction. One refresh runs at a time (class
    /// 'Stat', key 2). Only the application role may execute it (granted in <c>DatabaseRoles.GrantAppRole</c>).
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261203130000_GenerationInputStatistics")]
    public partial class GenerationInputStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create function generation_statistics_refresh() returns integer
                language plpgsql security definer set search_path = public, pg_temp
                as $$
                declare
                  t record;
                  analyzed integer := 0;
                begin
                  if not pg_try_advisory_xact_lock(1400136052, 2) then
                    return -1;
                  end if;
                  for t in
                    select s.relid::regclass as rel
                    from pg_stat_user_tables s
                    where s.schemaname = 'public'
                      and s.relname in ('orgs', 'members', 'member_placements', 'income_records', 'fee_decisions', 'voluntary_amounts')
                      and s.n_live_tup + s.n_mod_since_analyze > 0
                      and ((s.last_analyze is null and s.last_autoanalyze is null)
                           or s.n_mod_since_analyze > greatest(500, s.n_live_tup / 5))
                    order by s.relname
                  loop
                    execute format('analyze %s', t.rel);
                    analyzed := analyzed + 1;
                  end loop;
                  return analyzed;
                end $$;
                revoke all on function generation_statistics_refresh() from public;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop function if exists generation_statistics_refresh();");
        }
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// A month-end close cascade grows <c>period_closes</c>, <c>period_close_children</c>, <c>remittance_orders</c> and
    /// the closes' <c>ledger_balances</c> rows from nothing to hundreds of thousands in minutes; on statistics taken
    /// before it the planner chose sequential scans for keyed lookups and the cascade went quadratic (BankFeedBench close:
    /// 6 to 74 s for one province depending on when autovacuum happened to re-analyze). The service's role may not
    /// ANALYZE tables it does not own, so: these tables are re-analyzed by autovacuum after 2 % of their rows change
    /// (instead of 10 %), and <c>close_statistics_refresh()</c>, owned by the owner and run with its rights, analyzes
    /// them on demand; the cascade calls it after each depth. Only the application role may execute it (granted in
    /// <c>DatabaseRoles.GrantAppRole</c>).
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202100000_CloseStatistics")]
    public partial class CloseStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                alter table period_closes set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500);
                alter table period_close_children set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500);
                alter table remittance_orders set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500);
                alter table ledger_balances set (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 500);

                create function close_statistics_refresh() returns boolean
                language plpgsql security definer set search_path = public, pg_temp
                as $$
                begin
                  -- One refresh at a time: two ANALYZEs of one table at once collide on pg_statistic
                  -- ('tuple concurrently updated'); a cascade that finds one running relies on it. Class 'Stat'.
                  if not pg_try_advisory_xact_lock(1400136052, 0) then
                    return false;
                  end if;
                  analyze period_closes;
                  analyze period_close_children;
                  analyze remittance_orders;
                  analyze ledger_balances;
                  return true;
                end $$;
                revoke all on function close_statistics_refresh() from public;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop function if exists close_statistics_refresh();
                alter table period_closes reset (autovacuum_analyze_scale_factor, autovacuum_analyze_threshold);
                alter table period_close_children reset (autovacuum_analyze_scale_factor, autovacuum_analyze_threshold);
                alter table remittance_orders reset (autovacuum_analyze_scale_factor, autovacuum_analyze_threshold);
                alter table ledger_balances reset (autovacuum_analyze_scale_factor, autovacuum_analyze_threshold);
                """);
        }
    }
}

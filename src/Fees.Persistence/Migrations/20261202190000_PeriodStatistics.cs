using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// A month's partitions are created ahead of time and analyzed while empty; dues generation then fills the month's
    /// statements partition from nothing to the whole scope's members in one transaction (5.6 million rows for the
    /// nation), and autovacuum re-analyzes it only a minute or more later. In between, the planner plans the bank
    /// feeds' statement updates and the reports on statistics that say the month is empty (performance.md: an index on
    /// <c>(province_id, period)</c> was chosen over the primary key and halved the webhooks). The service's role may not
    /// ANALYZE tables it does not own, so <c>period_statistics_refresh(period)</c>, owned by the owner and run with its
    /// rights, analyzes the month's partitions of every table partitioned by period that have grown since they were last
    /// analyzed (more than a fifth more pages than the statistics saw, or never analyzed): generation calls it after it
    /// commits. It cannot be used to make the database work for nothing: a partition that has not grown is left alone,
    /// and one refresh runs at a time. Only the application role may execute it (granted in
    /// <c>DatabaseRoles.GrantAppRole</c>).
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261202190000_PeriodStatistics")]
    public partial class PeriodStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create function period_statistics_refresh(p date) returns integer
                language plpgsql security definer set search_path = public, pg_temp
                as $$
                declare
                  part record;
                  analyzed integer := 0;
                begin
                  if p is null or p < date '2026-08-01' or p > date '2200-01-01' then
                    return 0;
                  end if;
                  -- One refresh at a time (two ANALYZEs of one table collide on pg_statistic); class 'Stat', key 1
                  -- (close_statistics_refresh holds key 0). A caller that finds one running relies on it.
                  if not pg_try_advisory_xact_lock(1400136052, 1) then
                    return -1;
                  end if;
                  for part in
                    select c.oid::regclass as rel
                    from pg_partitioned_table pt
                    join pg_class parent on parent.oid = pt.partrelid and parent.relnamespace = 'public'::regnamespace
                    join pg_inherits i on i.inhparent = parent.oid
                    join pg_class c on c.oid = i.inhrelid
                    where c.relname = format('%s_p%s', parent.relname, to_char(date_trunc('month', p), 'YYYY_MM'))
                      and (c.reltuples < 0
                           or pg_relation_size(c.oid) / current_setting('block_size')::bigint > c.relpages * 1.2 + 8)
                    order by c.relname
                  loop
                    execute format('analyze %s', part.rel);
                    analyzed := analyzed + 1;
                  end loop;
                  return analyzed;
                end $$;
                revoke all on function period_statistics_refresh(date) from public;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("drop function if exists period_statistics_refresh(date);");
        }
    }
}

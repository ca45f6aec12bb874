using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fees.Persistence.Migrations
{
    /// <summary>
    /// What the members of each organization paid, per month: <c>dues_paid_by_org_month</c> holds, for every
    /// (province, period, organization), the sum of <c>paid</c> over its statements that B01/ĐP counts (every status but
    /// <c>transferred</c>: a transferred statement's unpaid rest is continued, and counted, at the new organization).
    /// <para>
    /// Why: a province's B01/ĐP summed its statements of the year. At national scale that is 642,462 rows of 593 bytes
    /// a month for Hà Nội (NationalBench b01 --scale 1: 3.4 s cold, 1.3 s warm with one month generated, and growing
    /// with every month of the year); these totals are one row per organization and month (27,644 a month for Hà Nội).
    /// </para>
    /// <para>
    /// Kept by the database itself, in the same transaction as the statements, so they cannot drift: statement-level
    /// triggers on <c>dues_statements</c> (insert, update, delete) add what their transition tables say changed, one
    /// upsert per statement of SQL, in key order (province, period, organization) so that concurrent bookings lock the
    /// rows they share in the same order. Rows whose change nets to zero are not touched (a month's generation writes
    /// statements with nothing paid, so it writes no totals). The function runs with the owner's rights; the service
    /// role may read the table and nothing else (<c>DatabaseRoles.GrantAppRole</c>), so only the triggers write it.
    /// The audit check <c>paid-totals-match-statements</c> recomputes them from the statements, and
    /// <c>PaidTotalsProperties</c> holds them equal under random histories of inserts, payments, transfers and deletes.
    /// </para>
    /// </summary>
    [DbContext(typeof(FeesDbContext))]
    [Migration("20261203100000_PaidByOrgMonth")]
    public partial class PaidByOrgMonth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                create table dues_paid_by_org_month (
                  province_id bigint not null,
                  period date not null,
                  org_id bigint not null references orgs (id) on delete restrict,
                  paid bigint not null,
                  constraint pk_dues_paid_by_org_month primary key (province_id, period, org_id)
                );

                insert into dues_paid_by_org_month (province_id, period, org_id, paid)
                select province_id, period, org_id, sum(paid)
                from dues_statements where status <> 'transferred' and paid <> 0
                group by province_id, period, org_id;

                create function dues_paid_by_org_month_apply() returns trigger
                language plpgsql security definer set search_path = public, pg_temp
                as $$
                begin
                  if tg_op = 'INSERT' then
                    insert into dues_paid_by_org_month as t (province_id, period, org_id, paid)
                    select province_id, period, org_id, sum(paid) from new_rows
                    where status <> 'transferred' and paid <> 0
                    group by province_id, period, org_id
                    order by province_id, period, org_id
                    on conflict (province_id, period, org_id) do update set paid = t.paid + excluded.paid;
                  elsif tg_op = 'UPDATE' then
                    insert into dues_paid_by_org_month as t (province_id, period, org_id, paid)
                    select province_id, period, org_id, sum(change) from (
                      select province_id, period, org_id, paid as change from new_rows where status <> 'transferred' and paid <> 0
                      union all
                      select province_id, period, org_id, -paid from old_rows where status <> 'transferred' and paid <> 0
                    ) c
                    group by province_id, period, org_id
                    having sum(change) <> 0
                    order by province_id, period, org_id
                    on conflict (province_id, period, org_id) do update set paid = t.paid + excluded.paid;
                  else
                    insert into dues_paid_by_org_month as t (province_id, period, org_id, paid)
                    select province_id, period, org_id, -sum(paid) from old_rows
                    where status <> 'transferred' and paid <> 0
                    group by province_id, period, org_id
                    order by province_id, period, org_id
                    on conflict (province_id, period, org_id) do update set paid = t.paid + excluded.paid;
                  end if;
                  return null;
                end $$;
                revoke all on function dues_paid_by_org_month_apply() from public;

                create trigger dues_statements_paid_inserted after insert on dues_statements
                  referencing new table as new_rows for each statement execute function dues_paid_by_org_month_apply();
                create trigger dues_statements_paid_updated after update on dues_statements
                  referencing old table as old_rows new table as new_rows for each statement execute function dues_paid_by_org_month_apply();
                create trigger dues_statements_paid_deleted after delete on dues_statements
                  referencing old table as old_rows for each statement execute function dues_paid_by_org_month_apply();
                """);
            // Statistics only when the backfill wrote rows: a table analyzed while empty misleads the planner later.
            migrationBuilder.Sql(Fees.Persistence.Database.PartitionStatistics.AnalyzeWhereFilledSql("dues_paid_by_org_month"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                drop trigger if exists dues_statements_paid_inserted on dues_statements;
                drop trigger if exists dues_statements_paid_updated on dues_statements;
                drop trigger if exists dues_statements_paid_deleted on dues_statements;
                drop function if exists dues_paid_by_org_month_apply();
                drop table if exists dues_paid_by_org_month;
                """);
        }
    }
}

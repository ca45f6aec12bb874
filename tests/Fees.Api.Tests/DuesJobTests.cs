using Fees.Persistence;
using Fees.Persistence.Database;
using Fees.Persistence.Dues;
using Fees.Api.Jobs;
using Fees.Testing;
using Fees.Domain.Time;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests;

/// <summary>The monthly Hangfire job: registered for the 1st at 00:05 Vietnam time, and it generates the current period.</summary>
public sealed class DuesJobTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public void MonthlyJob_IsScheduledOnTheFirstOfEachMonth_InVietnamTime()
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == DuesJobs.MonthlyJobId);
        Assert.Equal("5 0 1 * *", job.Cron);
        Assert.Equal("Asia/Ho_Chi_Minh", job.TimeZoneId);
    }

    [Fact]
    public async Task MonthlyJob_GeneratesTheCurrentPeriod_ForEveryMember()
    {
        await app.WithScopeAsync(async s =>
        {
            await s.GetRequiredService<DuesJobs>().GenerateCurrentPeriod(CancellationToken.None);
            return 0;
        });
        var current = VietnamTime.CurrentPeriod(app.Clock);
        int rows = await app.WithScopeAsync(s => s.GetRequiredService<FeesDbContext>().Statements.CountAsync(x => x.Period == current));
        Assert.Equal(FeesApp.DemoMembers, rows);
    }
}

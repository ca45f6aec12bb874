using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Fees.Persistence.Database;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service or a database.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<FeesDbContext>
{
    public FeesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FeesDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=fees_design")
            .UseSnakeCaseNamingConvention()
            .Options);
}

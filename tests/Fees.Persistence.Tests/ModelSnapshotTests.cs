using Fees.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Fees.Persistence.Tests;

/// <summary>
/// What <c>dotnet ef migrations has-pending-model-changes</c> checks, as a test: the EF model equals the committed
/// snapshot, so the next <c>dotnet ef migrations add</c> holds only its own change. A column a hand-written SQL migration
/// adds to a mapped table is added to the snapshot by hand, too.
/// </summary>
public sealed class ModelSnapshotTests
{
    [Fact]
    public void Model_HasNoChangesPending_AgainstTheCommittedSnapshot()
    {
        using var db = new FeesDbContext(new DbContextOptionsBuilder<FeesDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=fees_design")
            .UseSnakeCaseNamingConvention()
            .Options);
        var snapshot = db.GetService<IMigrationsAssembly>().ModelSnapshot?.Model;
        Assert.NotNull(snapshot);
        if (snapshot is IMutableModel mutable)
        {
            snapshot = mutable.FinalizeModel();
        }
        snapshot = db.GetService<IModelRuntimeInitializer>().Initialize(snapshot);
        var current = db.GetService<IDesignTimeModel>().Model;

        var differences = db.GetService<IMigrationsModelDiffer>().GetDifferences(snapshot.GetRelationalModel(), current.GetRelationalModel());

        Assert.True(differences.Count == 0, "Pending model changes: " + string.Join("; ", differences.Select(d => d.GetType().Name + " " + Describe(d))));
    }

    private static string Describe(Microsoft.EntityFrameworkCore.Migrations.Operations.MigrationOperation operation) => operation switch
    {
        Microsoft.EntityFrameworkCore.Migrations.Operations.ColumnOperation c => $"{c.Table}.{c.Name}",
        Microsoft.EntityFrameworkCore.Migrations.Operations.ITableMigrationOperation t => t.Table,
        _ => "",
    };
}

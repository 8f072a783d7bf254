using System.Text.Json;
using GrowthOs.IngestSaga.BulkSync;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace GrowthOs.IngestSaga.Persistence;

public sealed class IngestDbContext(DbContextOptions<IngestDbContext> options) : DbContext(options)
{
    public const string Schema = "ingest";

    public DbSet<BulkSyncState> BulkSyncs => Set<BulkSyncState>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(Schema);
        var sync = model.Entity<BulkSyncState>();
        sync.ToTable("bulk_sync_state");
        sync.HasKey(x => x.CorrelationId);
        sync.Property(x => x.Version).IsRowVersion();
        sync.Property(x => x.Steps)
            .HasColumnType("jsonb")
            .HasConversion(
                steps => JsonSerializer.Serialize(steps, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<List<StepTiming>>(json, JsonSerializerOptions.Web) ?? new List<StepTiming>(),
                new ValueComparer<List<StepTiming>>(
                    (a, b) => a!.SequenceEqual(b!),
                    steps => steps.Aggregate(0, (hash, step) => HashCode.Combine(hash, step.GetHashCode())),
                    steps => steps.ToList()));

        foreach (var property in sync.Metadata.GetProperties().Where(p => p.Name != nameof(BulkSyncState.Version)))
            property.SetColumnName(SnakeCase(property.Name));
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

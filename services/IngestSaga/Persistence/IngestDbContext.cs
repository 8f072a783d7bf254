using System.Text.Json;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.MarketingSync;
using GrowthOs.IngestSaga.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace GrowthOs.IngestSaga.Persistence;

public sealed class IngestDbContext(DbContextOptions<IngestDbContext> options) : DbContext(options)
{
    public const string Schema = "ingest";

    public DbSet<BulkSyncState> BulkSyncs => Set<BulkSyncState>();

    public DbSet<MarketingSyncState> MarketingSyncs => Set<MarketingSyncState>();

    /// <summary>The runs' events, saved with the saga row that raised them (<see cref="SagaEventPublisher"/> publishes them).</summary>
    public DbSet<SagaOutboxEvent> SagaEvents => Set<SagaOutboxEvent>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema(Schema);
        var sync = model.Entity<BulkSyncState>();
        sync.ToTable("bulk_sync_state");
        sync.HasKey(x => x.CorrelationId);
        sync.Property(x => x.Version).IsRowVersion();
        sync.Ignore(x => x.TraceId);
        Json(sync.Property(x => x.Steps));
        Json(sync.Property(x => x.PendingEntities));
        Json(sync.Property(x => x.EntityOutcomes));

        foreach (var property in sync.Metadata.GetProperties().Where(p => p.Name != nameof(BulkSyncState.Version)))
            property.SetColumnName(SnakeCase(property.Name));

        var marketing = model.Entity<MarketingSyncState>();
        marketing.ToTable("marketing_sync_state");
        marketing.HasKey(x => x.CorrelationId);
        marketing.Property(x => x.Version).IsRowVersion();
        marketing.Ignore(x => x.TraceId);
        marketing.Ignore(x => x.CurrentStep);
        Json(marketing.Property(x => x.Steps));
        foreach (var property in marketing.Metadata.GetProperties().Where(p => p.Name != nameof(MarketingSyncState.Version)))
            property.SetColumnName(SnakeCase(property.Name));

        var outbox = model.Entity<SagaOutboxEvent>();
        outbox.ToTable("saga_event_outbox");
        outbox.HasKey(x => x.EventId);
        outbox.Property(x => x.Body).HasColumnType("jsonb");
        foreach (var property in outbox.Metadata.GetProperties())
            property.SetColumnName(SnakeCase(property.Name));
    }

    /// <summary>A list kept as a jsonb column, compared by its items so a change is saved.</summary>
    private static void Json<T>(Microsoft.EntityFrameworkCore.Metadata.Builders.PropertyBuilder<List<T>> property) =>
        property
            .HasColumnType("jsonb")
            .HasConversion(
                items => JsonSerializer.Serialize(items, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<List<T>>(json, JsonSerializerOptions.Web) ?? new List<T>(),
                new ValueComparer<List<T>>(
                    (a, b) => a!.SequenceEqual(b!),
                    items => items.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
                    items => items.ToList()));

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

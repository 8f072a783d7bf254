using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.SyncRuns;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>The commands a run sends, built from its state, so a retry sends exactly what the first attempt did.</summary>
public static class BulkSyncCommands
{
    public static StartBulkExtraction StartExtraction(BulkSyncState saga) =>
        new(saga.CorrelationId, saga.ShopDomain, saga.Entity, saga.UpdatedSince, saga.BackfillFrom, saga.BackfillBefore);

    /// <summary>Refresh the marts of the dates the run touched (today's alone when it touched no order).</summary>
    public static RefreshMarts Refresh(BulkSyncState saga, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return new RefreshMarts(saga.CorrelationId, saga.ShopDomain, saga.FirstOrderDate ?? today, saga.LastOrderDate ?? today);
    }

    public static UpsertArchivedRecords Upsert(BulkSyncState saga, BulkSyncOptions settings) =>
        new(saga.CorrelationId, saga.ShopDomain, saga.Entity, saga.ArchiveKey!, saga.JobType == JobTypes.FullBackfill ? settings.BackfillChunkSize : null,
            CompleteAsOf(saga));

    /// <summary>
    /// A daily sync reads the inventory whole, so its file also says what no longer exists, as of the moment its bulk
    /// query was asked for (anything updated later is newer than the file). Partial data, or a replayed file, says nothing
    /// of the kind.
    /// </summary>
    private static DateTimeOffset? CompleteAsOf(BulkSyncState saga) =>
        saga is { Entity: Entities.Inventory, EntityPartial: false, JobType: JobTypes.DailySync }
            ? saga.Steps.LastOrDefault(s => s.Step == Steps.Requested && s.Entity == saga.Entity)?.StartedAt
            : null;
}

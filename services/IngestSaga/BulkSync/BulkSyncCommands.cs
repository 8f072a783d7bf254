using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Transform;

namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>The commands a run sends, built from its state, so a retry sends exactly what the first attempt did.</summary>
public static class BulkSyncCommands
{
    public static StartBulkExtraction StartExtraction(BulkSyncState saga) =>
        new(saga.CorrelationId, saga.ShopDomain, saga.Entity, saga.UpdatedSince, saga.BackfillFrom, saga.BackfillBefore);

    public static UpsertArchivedRecords Upsert(BulkSyncState saga, BulkSyncOptions settings) =>
        new(saga.CorrelationId, saga.ShopDomain, saga.ArchiveKey!, saga.JobType == JobTypes.FullBackfill ? settings.BackfillChunkSize : null);
}

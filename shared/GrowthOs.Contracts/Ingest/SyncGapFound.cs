namespace GrowthOs.Contracts.Ingest;

/// <summary>
/// A daily sync found the shop's <paramref name="Entity"/> watermark older than the floor it reads back to: the changes
/// from <paramref name="GapFrom"/> (the watermark minus the lookback) to <paramref name="Floor"/> were not read by it.
/// Backfill run <paramref name="BackfillRunId"/> reads them; the gap is filled when that run completes whole.
/// </summary>
public record SyncGapFound(
    Guid RunId,
    string ShopDomain,
    string Entity,
    DateTimeOffset GapFrom,
    DateTimeOffset Floor,
    Guid BackfillRunId,
    DateTimeOffset FoundAt);

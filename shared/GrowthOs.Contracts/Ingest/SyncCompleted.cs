namespace GrowthOs.Contracts.Ingest;

/// <summary>
/// Every step of the run succeeded. <paramref name="Partial"/>: Shopify's operation failed part-way and only its
/// partial data was loaded; the watermark did not move. <paramref name="JobType"/> says which kind of run it was
/// (DAILY_SYNC, FULL_BACKFILL_EXECUTE, REPLAY).
/// </summary>
public record SyncCompleted(
    Guid RunId,
    string ShopDomain,
    long OrdersUpserted,
    long LineItemsUpserted,
    DateTimeOffset? UpdatedThrough,
    DateTimeOffset CompletedAt,
    bool Partial = false,
    string? JobType = null);

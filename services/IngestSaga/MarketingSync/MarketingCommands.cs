using GrowthOs.Contracts.Marketing;

namespace GrowthOs.IngestSaga.MarketingSync;

/// <summary>The commands a marketing run sends, built from its state, the same each time one is sent again.</summary>
public static class MarketingCommands
{
    public static FetchMarketingReport Fetch(MarketingSyncState saga) =>
        new(saga.CorrelationId, saga.ShopDomain, saga.Source, saga.Since!.Value, saga.Until!.Value, saga.Attempt);

    public static UpsertMarketingReport Upsert(MarketingSyncState saga) =>
        new(saga.CorrelationId, saga.ShopDomain, saga.Source, saga.ManifestKey!);

    public static RefreshMarketingMarts Refresh(MarketingSyncState saga) =>
        new(saga.CorrelationId, saga.ShopDomain, saga.Source, saga.Since!.Value, saga.Until!.Value);
}

namespace GrowthOs.Contracts.Marketing;

/// <summary>Load the pages the manifest names into the marketing staging tables: each day they cover replaces what was there.</summary>
public record UpsertMarketingReport(
    Guid RunId,
    string ShopDomain,
    string Source,
    string ManifestKey);

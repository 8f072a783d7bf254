namespace GrowthOs.KpiAlert.Alerts;

/// <summary>A variant of the latest stock snapshot out of stock, with its velocity tier, units sold a day and days of cover.</summary>
public sealed record StockedOut(long VariantId, string? Sku, string? Title, string VelocityTier, decimal DailyVelocity, decimal? DaysOfCover);

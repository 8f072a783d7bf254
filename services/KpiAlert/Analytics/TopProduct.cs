namespace GrowthOs.KpiAlert.Analytics;

/// <summary>A product's units and net revenue over a period, and its share of the period's product revenue.</summary>
public sealed record TopProduct(long ProductId, string Title, long Units, long NetRevenueMinor, decimal? RevenueShare);

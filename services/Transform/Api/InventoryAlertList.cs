namespace GrowthOs.Transform.Api;

/// <summary>
/// The answer of <c>GET /api/dashboard/inventory-alerts</c>: the latest snapshot's day (null before the first), the variants
/// in each stock status, and the alerts, the most urgent first.
/// </summary>
public sealed record InventoryAlertList(string Shop, DateOnly? SnapshotDate, IReadOnlyDictionary<string, int> Counts, IReadOnlyList<InventoryAlert> Alerts);

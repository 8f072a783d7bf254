namespace GrowthOs.Contracts.Connections;

/// <summary>
/// What one service removed for a purge: rows by table (<c>schema.table</c>) and archived objects by prefix
/// (<c>objects:prefix</c>), counted. Names no shop: the purge's id says which.
/// </summary>
public record ShopPurged(Guid PurgeId, string Service, IReadOnlyDictionary<string, long> Removed, DateTimeOffset PurgedAt);

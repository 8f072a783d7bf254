namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>What a bulk file holds: its lines (Shopify's objectCount), its root objects and its size in bytes.</summary>
public sealed record BulkFileStats(long ObjectCount, long RootObjectCount, long FileSize);

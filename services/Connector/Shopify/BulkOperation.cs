namespace GrowthOs.Connector.Shopify;

/// <summary>Every field Shopify reports of a bulk operation.</summary>
public sealed record BulkOperation(
    string Id,
    string Status,
    string? ErrorCode,
    long ObjectCount,
    long RootObjectCount,
    long FileSize,
    string? Url,
    string? PartialDataUrl)
{
    public bool IsRunning => Status is "CREATED" or "RUNNING" or "CANCELING";
}

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

public sealed record QueryCost(double RequestedQueryCost, double ActualQueryCost, double MaximumAvailable, double CurrentlyAvailable, double RestoreRate);

/// <summary>What a shop says of itself (the <c>shop</c> query): the connection's check keeps it.</summary>
public sealed record ShopInfo(string Name, string? MyshopifyDomain, string CurrencyCode, string IanaTimezone, string? Plan);

namespace GrowthOs.Sandbox.Shopify;

/// <summary>A bulk operation as the Sandbox keeps it: enough to answer for it and to write its file again at any time.</summary>
public sealed record SandboxBulkOperation(
    long Number,
    string ShopDomain,
    string ApiVersion,
    string Query,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CanceledAt = null,
    int? DurationMilliseconds = null)
{
    public const string IdPrefix = "gid://shopify/BulkOperation/";

    public string Id => $"{IdPrefix}{Number}";
}

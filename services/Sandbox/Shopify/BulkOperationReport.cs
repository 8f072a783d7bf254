namespace GrowthOs.Sandbox.Shopify;

/// <summary>A bulk operation as Shopify reports it at this moment.</summary>
public sealed record BulkOperationReport(
    SandboxBulkOperation Operation,
    string Status,
    string? ErrorCode,
    DateTimeOffset? CompletedAt,
    long ObjectCount,
    long RootObjectCount,
    long? FileSize,
    string? Url,
    string? PartialDataUrl)
{
    public object? Field(string name) => name switch
    {
        "id" => Operation.Id,
        "status" => Status,
        "errorCode" => ErrorCode,
        "createdAt" => Operation.CreatedAt,
        "completedAt" => CompletedAt,
        "objectCount" => ObjectCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "rootObjectCount" => RootObjectCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "fileSize" => FileSize?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "url" => Url,
        "partialDataUrl" => PartialDataUrl,
        "query" => Operation.Query,
        "type" => "QUERY",
        _ => null,
    };
}

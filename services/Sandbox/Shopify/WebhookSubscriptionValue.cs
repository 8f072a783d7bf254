namespace GrowthOs.Sandbox.Shopify;

public sealed record WebhookSubscriptionValue(long Number, string ShopDomain, string Topic, string Uri, string Format, string ApiVersion,
    DateTimeOffset CreatedAt)
{
    public string Id => $"gid://shopify/WebhookSubscription/{Number}";

    /// <summary>The topic as a delivery names it: BULK_OPERATIONS_FINISH is <c>bulk_operations/finish</c>.</summary>
    public string DeliveryTopic => Topic switch
    {
        "BULK_OPERATIONS_FINISH" => "bulk_operations/finish",
        "APP_UNINSTALLED" => "app/uninstalled",
        _ => Topic.ToLowerInvariant(),
    };

    public object? Field(string name) => name switch
    {
        "id" => Id,
        "topic" => Topic,
        "format" => Format,
        "uri" => Uri,
        "createdAt" => CreatedAt,
        _ => null,
    };
}

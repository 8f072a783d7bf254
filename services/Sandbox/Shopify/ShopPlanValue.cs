namespace GrowthOs.Sandbox.Shopify;

public sealed record ShopPlanValue(string Plan)
{
    public object? Field(string name) => name switch
    {
        "publicDisplayName" or "displayName" => Plan,
        "partnerDevelopment" => Plan == "Development",
        "shopifyPlus" => Plan is "Plus" or "Plus Trial",
        _ => null,
    };
}

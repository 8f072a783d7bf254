namespace GrowthOs.Connector.Shopify;

/// <summary>An offline Admin API token, and the scopes the merchant granted.</summary>
public sealed record ShopifyGrant(string AccessToken, string? Scope)
{
    public override string ToString() => $"a token (redacted) for {Scope}";
}

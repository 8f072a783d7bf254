namespace GrowthOs.Connector.Shopify;

/// <summary>What a shop says of itself (the <c>shop</c> query): the connection's check keeps it.</summary>
public sealed record ShopInfo(string Name, string? MyshopifyDomain, string CurrencyCode, string IanaTimezone, string? Plan);

namespace GrowthOs.Transform.Api;

/// <summary>A fulfillment of an order, with its status as Shopify gives it.</summary>
public sealed record OrderDetailFulfillment(long FulfillmentId, string? Status, DateTimeOffset CreatedAt);

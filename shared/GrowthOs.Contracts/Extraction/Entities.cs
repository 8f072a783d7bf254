namespace GrowthOs.Contracts.Extraction;

/// <summary>
/// What a sync can extract from Shopify, one bulk query each: orders (with line items, refunds, fulfillments),
/// products (with variants), inventory (items with their levels per location) and customers.
/// </summary>
public static class Entities
{
    public const string Orders = "orders";
    public const string Products = "products";
    public const string Inventory = "inventory";
    public const string Customers = "customers";

    /// <summary>Every entity, in the order a sync extracts them: orders first, so the marts see new sales soonest.</summary>
    public static IReadOnlyList<string> All { get; } = [Orders, Products, Inventory, Customers];
}

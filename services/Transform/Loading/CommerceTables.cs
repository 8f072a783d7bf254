namespace GrowthOs.Transform.Loading;

/// <summary>The staged tables of every record type besides orders and their lines.</summary>
public static class CommerceTables
{
    public static readonly StagedTable<RefundRecord> Refunds = new("order_refund", ["order_id", "refund_id"], "order_updated_at",
        new("order_id", r => r.OrderId),
        new("refund_id", r => r.RefundId),
        new("created_at", r => r.CreatedAt),
        new("amount_minor", r => r.AmountMinor),
        new("currency_code", r => r.CurrencyCode),
        new("order_updated_at", r => r.OrderUpdatedAt));

    public static readonly StagedTable<FulfillmentRecord> Fulfillments = new("order_fulfillment", ["order_id", "fulfillment_id"], "order_updated_at",
        new("order_id", f => f.OrderId),
        new("fulfillment_id", f => f.FulfillmentId),
        new("status", f => f.Status),
        new("created_at", f => f.CreatedAt),
        new("order_updated_at", f => f.OrderUpdatedAt));

    public static readonly StagedTable<ProductRecord> Products = new("product", ["product_id"], "updated_at",
        new("product_id", p => p.ProductId),
        new("title", p => p.Title),
        new("vendor", p => p.Vendor),
        new("product_type", p => p.ProductType),
        new("status", p => p.Status),
        new("created_at", p => p.CreatedAt),
        new("updated_at", p => p.UpdatedAt));

    public static StagedTable<VariantRecord> Variants(string? currency) => new("product_variant", ["variant_id"], "updated_at",
        new("variant_id", v => v.VariantId),
        new("product_id", v => v.ProductId),
        new("sku", v => v.Sku),
        new("title", v => v.Title),
        new("price", v => v.Price),
        new("price_minor", v => currency is not null && Money.TryToMinorUnits(v.Price, currency, out var minor) ? minor : null),
        new("currency_code", v => currency is not null && v.Price is not null ? currency : null),
        new("inventory_quantity", v => v.InventoryQuantity),
        new("inventory_item_id", v => v.InventoryItemId),
        new("updated_at", v => v.UpdatedAt));

    public static readonly StagedTable<InventoryItemRecord> InventoryItems = new("inventory_item", ["inventory_item_id"], "updated_at",
        new("inventory_item_id", i => i.InventoryItemId),
        new("variant_id", i => i.VariantId),
        new("sku", i => i.Sku),
        new("updated_at", i => i.UpdatedAt),
        new("unit_cost_minor", i => i.UnitCostMinor),
        new("unit_cost_currency", i => i.UnitCostCurrency));

    public static readonly StagedTable<InventoryLevelRecord> InventoryLevels = new("inventory_level", ["inventory_item_id", "location_id"], "updated_at",
        new("inventory_item_id", l => l.InventoryItemId),
        new("location_id", l => l.LocationId),
        new("available", l => l.Available),
        new("updated_at", l => l.UpdatedAt));

    public static readonly StagedTable<CustomerRecord> Customers = new("customer", ["customer_id"], "updated_at",
        new("customer_id", c => c.CustomerId),
        new("created_at", c => c.CreatedAt),
        new("updated_at", c => c.UpdatedAt),
        new("number_of_orders", c => c.NumberOfOrders),
        new("amount_spent_minor", c => c.AmountSpentMinor),
        new("currency_code", c => c.CurrencyCode),
        new("state", c => c.State),
        new("email_sha256", c => c.EmailSha256));
}

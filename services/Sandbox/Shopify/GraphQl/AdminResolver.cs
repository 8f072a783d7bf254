using System.Globalization;
using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>
/// The value of every field of the Admin API types over a demo shop. Roots (queries and mutations) are answered by
/// the <see cref="ShopifyAdmin"/> of the request (or, for a bulk file, the shop itself); the rest is the demo data, written the way Shopify writes it
/// (global ids, amounts as decimal strings, UnsignedInt64 as strings, times in UTC with a Z).
/// </summary>
public sealed class AdminResolver(DemoShop shop) : IFieldResolver
{
    private static readonly HashSet<string> QuantityNames =
        ["available", "committed", "damaged", "incoming", "on_hand", "quality_control", "reserved", "safety_stock"];

    public string TypeOf(object value) => value switch
    {
        DemoOrder => "Order",
        OrderLine => "LineItem",
        OrderRefund => "Refund",
        DemoFulfillment => "Fulfillment",
        OrderTransaction => "OrderTransaction",
        TransactionFee => "TransactionFee",
        DemoProduct => "Product",
        VariantOf => "ProductVariant",
        DemoInventoryItem => "InventoryItem",
        DemoInventoryLevel => "InventoryLevel",
        DemoLocation => "Location",
        DemoCustomer => "Customer",
        BulkOperationReport => "BulkOperation",
        WebhookSubscriptionValue => "WebhookSubscription",
        ShopValue => "Shop",
        _ => throw new InvalidOperationException($"No GraphQL type for {value.GetType().Name}."),
    };

    public object? Resolve(string typeName, string fieldName, object source, Arguments arguments) => source switch
    {
        ShopifyAdmin root when typeName == "Mutation" => root.Mutate(fieldName, arguments),
        ShopifyAdmin root => root.Query(fieldName, arguments),
        DemoShop root => ShopifyAdmin.ShopData(root, fieldName, arguments),
        DemoOrder order => Order(order, fieldName),
        OrderLine line => LineItem(line, fieldName),
        OrderRefund refund => fieldName switch
        {
            "id" => $"gid://shopify/Refund/{refund.Refund.Id}",
            "createdAt" => refund.Refund.CreatedAt,
            "totalRefundedSet" => new MoneyBagValue(refund.Refund.Amount, refund.Order),
            _ => null,
        },
        OrderTransaction transaction => fieldName switch
        {
            "id" => $"gid://shopify/OrderTransaction/{transaction.Transaction.Id}",
            "kind" => transaction.Transaction.Kind,
            "status" => transaction.Transaction.Status,
            "gateway" => transaction.Transaction.Gateway,
            "processedAt" or "createdAt" => transaction.Transaction.ProcessedAt,
            "test" => transaction.Order.Test,
            "amountSet" => new MoneyBagValue(transaction.Transaction.Amount, transaction.Order),
            "fees" => transaction.Transaction.Fees.Select(f => new TransactionFee(transaction.Order, f)),
            _ => null,
        },
        TransactionFee fee => fieldName switch
        {
            "id" => $"gid://shopify/TransactionFee/{fee.Fee.Id}",
            "amount" => new MoneyValue(fee.Fee.Amount, fee.Order.CurrencyCode),
            "flatFee" => new MoneyValue(fee.Fee.FlatFee, fee.Order.CurrencyCode),
            "flatFeeName" => fee.Fee.FlatFeeName,
            "rate" => fee.Fee.Rate.ToString(CultureInfo.InvariantCulture),
            "rateName" => fee.Fee.RateName,
            "taxAmount" => new MoneyValue(0m, fee.Order.CurrencyCode),
            "type" => fee.Fee.Type,
            _ => null,
        },
        DemoFulfillment fulfillment => fieldName switch
        {
            "id" => $"gid://shopify/Fulfillment/{fulfillment.Id}",
            "status" => fulfillment.Status,
            "createdAt" => fulfillment.CreatedAt,
            _ => null,
        },
        MoneyBagValue bag => fieldName switch
        {
            "shopMoney" => new MoneyValue(bag.ShopAmount, bag.Order.CurrencyCode),
            "presentmentMoney" => new MoneyValue(Math.Round(bag.ShopAmount * bag.Order.PresentmentRate, 2), bag.Order.PresentmentCurrencyCode),
            _ => null,
        },
        MoneyValue money => fieldName switch
        {
            "amount" => Amount(money.Amount),
            "currencyCode" => money.CurrencyCode,
            _ => null,
        },
        DemoProduct product => Product(product, fieldName),
        VariantOf variant => Variant(variant, fieldName),
        DemoInventoryItem item => InventoryItem(item, fieldName),
        DemoInventoryLevel level => fieldName switch
        {
            "id" => $"gid://shopify/InventoryLevel/{level.Id}?inventory_item_id={level.InventoryItemId}",
            "updatedAt" => level.UpdatedAt,
            "location" => level.Location,
            "item" => shop.InventoryItems.FirstOrDefault(i => i.Id == level.InventoryItemId),
            "quantities" => Quantities(level, arguments.Strings("names")),
            _ => null,
        },
        LevelQuantity quantity => fieldName switch
        {
            "id" => $"gid://shopify/InventoryQuantity/{quantity.Level.Id}?inventory_item_id={quantity.Level.InventoryItemId}&name={quantity.Name}",
            "name" => quantity.Name,
            "quantity" => quantity.Quantity,
            "updatedAt" => quantity.Level.UpdatedAt,
            _ => null,
        },
        DemoLocation location => fieldName switch
        {
            "id" => $"gid://shopify/Location/{location.Id}",
            "name" => location.Name,
            _ => null,
        },
        DemoCustomer customer => Customer(customer, fieldName),
        EmailAddress email => fieldName == "emailAddress" ? email.Address : null,
        BulkOperationReport report => report.Field(fieldName),
        WebhookSubscriptionValue subscription => subscription.Field(fieldName),
        ShopValue value => value.Field(fieldName),
        ShopPlanValue plan => plan.Field(fieldName),
        MutationPayload payload => fieldName == "userErrors" ? payload.UserErrors : payload.Subject,
        UserErrorValue error => fieldName switch
        {
            "field" => error.Field,
            "message" => error.Message,
            "code" => error.Code,
            _ => null,
        },
        _ => throw new InvalidOperationException($"No resolver for {typeName}.{fieldName} on {source.GetType().Name}."),
    };

    private object? Order(DemoOrder order, string field) => field switch
    {
        "id" => $"gid://shopify/Order/{order.Id}",
        "name" => order.Name,
        "createdAt" => order.CreatedAt,
        "updatedAt" => order.UpdatedAt,
        "processedAt" => order.CreatedAt,
        "cancelledAt" => order.CancelledAt,
        "test" => order.Test,
        "sourceName" => order.SourceName,
        "discountCodes" => order.DiscountCodes,
        "displayFinancialStatus" => order.FinancialStatus,
        "displayFulfillmentStatus" => order.FulfillmentStatus,
        "currencyCode" => order.CurrencyCode,
        "presentmentCurrencyCode" => order.PresentmentCurrencyCode,
        "customer" => shop.Customers[(int)order.CustomerId - 1],
        "subtotalPriceSet" => new MoneyBagValue(order.Subtotal, order),
        "totalPriceSet" => new MoneyBagValue(order.Total, order),
        "totalDiscountsSet" => new MoneyBagValue(order.Discounts, order),
        "totalTaxSet" => new MoneyBagValue(order.Tax, order),
        "totalShippingPriceSet" => new MoneyBagValue(order.Shipping, order),
        "totalRefundedSet" => new MoneyBagValue(order.Refunded, order),
        "refunds" => order.Refunds.Select(r => new OrderRefund(order, r)),
        "fulfillments" => order.Fulfillments,
        "transactions" => order.Transactions.Select(t => new OrderTransaction(order, t)),
        "lineItems" => order.LineItems.Select(l => new OrderLine(order, l)),
        _ => null,
    };

    private static object? LineItem(OrderLine line, string field) => field switch
    {
        "id" => $"gid://shopify/LineItem/{line.Line.Id}",
        "sku" => line.Line.Variant.Sku,
        "title" => line.Line.Product.Title,
        "name" => $"{line.Line.Product.Title} - {line.Line.Variant.Title}",
        "quantity" => line.Line.Quantity,
        "currentQuantity" => line.Order.CancelledAt is null ? line.Line.Quantity - line.Line.RefundedQuantity : 0,
        "vendor" => line.Line.Product.Vendor,
        "originalUnitPriceSet" => new MoneyBagValue(line.Line.Variant.Price, line.Order),
        "totalDiscountSet" => new MoneyBagValue(line.Line.Discount, line.Order),
        "product" => line.Line.Product,
        "variant" => new VariantOf(line.Line.Product, line.Line.Variant),
        _ => null,
    };

    private static object? Product(DemoProduct product, string field) => field switch
    {
        "id" => $"gid://shopify/Product/{product.Id}",
        "title" => product.Title,
        "handle" => string.Join('-', product.Title.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)),
        "vendor" => product.Vendor,
        "productType" => product.ProductType,
        "status" => product.Status,
        "createdAt" => product.CreatedAt,
        "updatedAt" => product.UpdatedAt,
        "variants" => product.Variants.Select(v => new VariantOf(product, v)),
        _ => null,
    };

    private static object? Variant(VariantOf variant, string field) => field switch
    {
        "id" => $"gid://shopify/ProductVariant/{variant.Variant.Id}",
        "sku" => variant.Variant.Sku,
        "title" => variant.Variant.Title,
        "price" => Amount(variant.Variant.Price),
        "inventoryQuantity" => variant.Variant.InventoryQuantity,
        "createdAt" => variant.Product.CreatedAt,
        "updatedAt" => variant.Product.UpdatedAt,
        "inventoryItem" => variant.Variant.InventoryItem,
        "product" => variant.Product,
        _ => null,
    };

    private object? InventoryItem(DemoInventoryItem item, string field) => field switch
    {
        "id" => $"gid://shopify/InventoryItem/{item.Id}",
        "sku" => item.Sku,
        "tracked" => true,
        "createdAt" => shop.Products.First(p => p.Variants.Any(v => v.Id == item.VariantId)).CreatedAt,
        "updatedAt" => item.UpdatedAt,
        "variant" => shop.Products.SelectMany(p => p.Variants.Select(v => new VariantOf(p, v))).FirstOrDefault(v => v.Variant.Id == item.VariantId),
        "inventoryLevels" => item.Levels,
        "unitCost" => item.UnitCost is { } cost ? new MoneyValue(cost, shop.CurrencyCode) : null,
        _ => null,
    };

    private static object? Customer(DemoCustomer customer, string field) => field switch
    {
        "id" => $"gid://shopify/Customer/{customer.Id}",
        "createdAt" => customer.CreatedAt,
        "updatedAt" => customer.UpdatedAt,
        "numberOfOrders" => customer.NumberOfOrders.ToString(CultureInfo.InvariantCulture),
        "amountSpent" => new MoneyValue(customer.AmountSpent, customer.CurrencyCode),
        "state" => customer.State,
        "defaultEmailAddress" => new EmailAddress(customer.Email),
        _ => null,
    };

    /// <summary>Shopify answers the names asked for, in that order; an unknown name is an error of the field.</summary>
    private static IEnumerable<LevelQuantity> Quantities(DemoInventoryLevel level, IReadOnlyList<string> names)
    {
        foreach (var name in names)
            if (!QuantityNames.Contains(name))
                throw new FieldException($"The quantity name '{name}' is not valid.", "INVALID_QUANTITY_NAME");
        return names.Select(name => new LevelQuantity(name, name is "available" or "on_hand" ? level.Available : 0, level)).ToList();
    }

    public static string Amount(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private sealed record EmailAddress(string Address);
}

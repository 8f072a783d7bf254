using System.Globalization;
using GrowthOs.Contracts.Extraction;

namespace GrowthOs.Connector.Extraction;

/// <summary>
/// The bulk queries the Connector runs, one per entity. Each node asks for <c>__typename</c> so lines can be told apart.
/// Shopify allows two levels of nested connections, so inventory levels come from their own query of inventory items
/// rather than from products › variants › levels. Customers' e-mail is read only to be hashed on the way to the archive
/// (see <see cref="PersonalDataHashing"/>); names and addresses are never asked for.
/// </summary>
public static class BulkQueries
{
    public const string Orders = Entities.Orders;

    public static string For(string entity, DateTimeOffset updatedSince) => For(entity, updatedSince, null, null);

    /// <summary>The bulk query of <paramref name="entity"/>, filtered by update time and/or creation time.</summary>
    public static string For(string entity, DateTimeOffset? updatedSince, DateTimeOffset? createdFrom, DateTimeOffset? createdBefore) => entity switch
    {
        Entities.Orders => OrdersQuery(SearchFilter(updatedSince, createdFrom, createdBefore)),
        Entities.Products => ProductsQuery(SearchFilter(updatedSince, createdFrom, createdBefore)),
        Entities.Inventory => InventoryQuery(SearchFilter(updatedSince, null, null)),
        Entities.Customers => CustomersQuery(SearchFilter(updatedSince, createdFrom, createdBefore)),
        _ => throw new ArgumentException($"No bulk query is defined for entity '{entity}'.", nameof(entity)),
    };

    /// <summary>Shopify search syntax: <c>updated_at:&gt;='…' AND created_at:&gt;='…' AND created_at:&lt;'…'</c>.</summary>
    public static string SearchFilter(DateTimeOffset? updatedSince, DateTimeOffset? createdFrom, DateTimeOffset? createdBefore)
    {
        var terms = new List<string>();
        if (updatedSince is { } updated) terms.Add($"updated_at:>='{Timestamp(updated)}'");
        if (createdFrom is { } from) terms.Add($"created_at:>='{Timestamp(from)}'");
        if (createdBefore is { } before) terms.Add($"created_at:<'{Timestamp(before)}'");
        return string.Join(" AND ", terms);
    }

    private static string OrdersQuery(string filter) => $$"""
        {
          orders(query: "{{filter}}", sortKey: UPDATED_AT) {
            edges {
              node {
                __typename
                id name createdAt updatedAt processedAt cancelledAt test sourceName discountCodes
                displayFinancialStatus displayFulfillmentStatus currencyCode presentmentCurrencyCode
                customer { id }
                subtotalPriceSet { {{MoneyBag}} }
                totalPriceSet { {{MoneyBag}} }
                totalDiscountsSet { {{MoneyBag}} }
                totalTaxSet { {{MoneyBag}} }
                totalShippingPriceSet { {{MoneyBag}} }
                totalRefundedSet { {{MoneyBag}} }
                refunds { id createdAt totalRefundedSet { {{MoneyBag}} } }
                fulfillments { id status createdAt }
                transactions { id kind status gateway processedAt fees { amount { amount currencyCode } } }
                lineItems {
                  edges {
                    node {
                      __typename
                      id sku title quantity currentQuantity vendor
                      originalUnitPriceSet { {{MoneyBag}} }
                      totalDiscountSet { {{MoneyBag}} }
                      product { id }
                      variant { id }
                    }
                  }
                }
              }
            }
          }
        }
        """;

    private static string ProductsQuery(string filter) => $$"""
        {
          products(query: "{{filter}}", sortKey: UPDATED_AT) {
            edges {
              node {
                __typename
                id title vendor productType status createdAt updatedAt
                variants {
                  edges {
                    node {
                      __typename
                      id sku title price inventoryQuantity updatedAt
                      inventoryItem { id }
                    }
                  }
                }
              }
            }
          }
        }
        """;

    private static string InventoryQuery(string filter) => $$"""
        {
          inventoryItems(query: "{{filter}}") {
            edges {
              node {
                __typename
                id sku updatedAt
                variant { id }
                unitCost { amount currencyCode }
                inventoryLevels {
                  edges {
                    node {
                      __typename
                      id updatedAt
                      location { id }
                      quantities(names: ["available"]) { name quantity }
                    }
                  }
                }
              }
            }
          }
        }
        """;

    private static string CustomersQuery(string filter) => $$"""
        {
          customers(query: "{{filter}}", sortKey: UPDATED_AT) {
            edges {
              node {
                __typename
                id createdAt updatedAt numberOfOrders state
                amountSpent { amount currencyCode }
                defaultEmailAddress { emailAddress }
              }
            }
          }
        }
        """;

    private const string MoneyBag = "shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }";

    private static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

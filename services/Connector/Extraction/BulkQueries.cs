using System.Globalization;

namespace GrowthOs.Connector.Extraction;

/// <summary>The bulk queries the Connector runs, one per entity. Each node asks for <c>__typename</c> so lines can be told apart.</summary>
public static class BulkQueries
{
    public const string Orders = "orders";

    public static IReadOnlyCollection<string> Entities { get; } = [Orders];

    public static string For(string entity, DateTimeOffset updatedSince) => entity switch
    {
        Orders => OrdersQuery(updatedSince),
        _ => throw new ArgumentException($"No bulk query is defined for entity '{entity}'.", nameof(entity)),
    };

    private static string OrdersQuery(DateTimeOffset updatedSince) => $$"""
        {
          orders(query: "updated_at:>='{{Timestamp(updatedSince)}}'", sortKey: UPDATED_AT) {
            edges {
              node {
                __typename
                id name createdAt updatedAt processedAt cancelledAt test sourceName
                displayFinancialStatus displayFulfillmentStatus currencyCode presentmentCurrencyCode
                customer { id }
                subtotalPriceSet { {{MoneyBag}} }
                totalPriceSet { {{MoneyBag}} }
                totalDiscountsSet { {{MoneyBag}} }
                totalTaxSet { {{MoneyBag}} }
                totalShippingPriceSet { {{MoneyBag}} }
                totalRefundedSet { {{MoneyBag}} }
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

    private const string MoneyBag = "shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }";

    private static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

namespace GrowthOs.Transform.Api;

/// <summary>
/// The profit figures of a period, money in minor units of the shop's currency, ratios as decimals (0.42 is 42 %), null
/// when their denominator is zero:
/// gross profit = net sales − cost of goods (of the lines whose cost is known); gross margin = gross profit / net sales;
/// POAS = gross profit / ad spend; break-even ROAS = 1 / gross margin (null when the margin is not above zero);
/// COGS coverage = the share of the lines' net sales whose cost is known. A line without a known cost counts no cost:
/// coverage under 1 means the gross profit is overstated by the cost of the rest, never that they cost nothing.
/// Shipping cost and the payment fees of orders whose fees Shopify does not report come from the shop's cost rules;
/// contribution margin = gross profit − shipping cost − payment fees − ad spend; net profit = contribution margin − the
/// fixed expenses spread over the period's days. <see cref="Customers"/> splits the orders and revenue by first, repeat
/// and guest orders.
/// </summary>
public sealed record ProfitFigures(
    long Orders,
    long NetSalesMinor,
    long CogsMinor,
    long GrossProfitMinor,
    decimal? GrossMargin,
    long AdSpendMinor,
    decimal? Poas,
    decimal? BreakEvenRoas,
    decimal? CogsCoverage,
    long LinesWithoutCost,
    long ShippingCostMinor,
    long PaymentFeesMinor,
    long PaymentFeesFromShopifyMinor,
    long OrdersWithoutShopifyFees,
    long ContributionMarginMinor,
    long? ContributionMarginPerOrderMinor,
    long FixedExpensesMinor,
    long NetProfitMinor,
    NewAndReturning Customers);

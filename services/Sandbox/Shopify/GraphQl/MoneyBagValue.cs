using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>An amount of an order in the shop's currency, with its presentment (buyer's) side derived from the order's rate.</summary>
public sealed record MoneyBagValue(decimal ShopAmount, DemoOrder Order);

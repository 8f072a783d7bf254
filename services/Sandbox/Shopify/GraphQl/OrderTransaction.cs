using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

public sealed record OrderTransaction(DemoOrder Order, DemoTransaction Transaction);

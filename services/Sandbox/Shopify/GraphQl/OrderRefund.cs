using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

public sealed record OrderRefund(DemoOrder Order, DemoRefund Refund);

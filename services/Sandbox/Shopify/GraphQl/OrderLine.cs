using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

public sealed record OrderLine(DemoOrder Order, DemoLineItem Line);

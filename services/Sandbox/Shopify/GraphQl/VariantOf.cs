using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

public sealed record VariantOf(DemoProduct Product, DemoVariant Variant);

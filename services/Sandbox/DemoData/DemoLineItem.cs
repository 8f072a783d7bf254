namespace GrowthOs.Sandbox.DemoData;

public sealed record DemoLineItem(long Id, DemoProduct Product, DemoVariant Variant, int Quantity, decimal Discount, int RefundedQuantity = 0);

namespace GrowthOs.Sandbox.DemoData;

/// <summary>A day of the demo shop's own sales: what ad platforms' attributed figures are drawn from.</summary>
public sealed record DemoSalesDay(DateOnly Date, int Orders, decimal Revenue);

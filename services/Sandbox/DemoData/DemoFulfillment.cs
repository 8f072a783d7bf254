namespace GrowthOs.Sandbox.DemoData;

public sealed record DemoFulfillment(long Id, string Status, DateTimeOffset CreatedAt);

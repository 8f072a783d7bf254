namespace GrowthOs.Sandbox.DemoData;

public sealed record DemoRefund(long Id, DateTimeOffset CreatedAt, decimal Amount);

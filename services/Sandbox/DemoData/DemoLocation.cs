namespace GrowthOs.Sandbox.DemoData;

public sealed record DemoLocation(long Id, string Name);

namespace GrowthOs.Sandbox.DemoData;

/// <summary>One channel group's traffic on one day as GA4 reports it: purchase revenue in the property's currency.</summary>
public sealed record DemoChannelDay(DemoChannel Channel, DateOnly Date, long Sessions, long Users, long KeyEvents, decimal Revenue);

namespace GrowthOs.Sandbox.DemoData;

/// <summary>A GA4 default channel group of the demo: its share of sessions and how well its sessions convert, relative to the shop's average.</summary>
public sealed record DemoChannel(string Name, double SessionShare, double ConversionFactor);

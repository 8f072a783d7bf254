namespace GrowthOs.Sandbox.DemoData;

/// <summary>An ad campaign of the demo: its share of the platform's spend, and how it performs.</summary>
public sealed record DemoCampaign(string Id, string Name, double SpendShare, double Roas, double Ctr, decimal Cpc);

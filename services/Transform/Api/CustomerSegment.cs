namespace GrowthOs.Transform.Api;

/// <summary>A segment's customers, orders and spend, and its customers per lifecycle stage.</summary>
public sealed record CustomerSegment(string Segment, long Customers, long Orders, long SpentMinor, IReadOnlyDictionary<string, long> Lifecycle);

namespace GrowthOs.Transform.Api;

/// <summary>The customers of one segment in one lifecycle stage, with their orders, spend and average order value.</summary>
public sealed record CustomerSegmentRow(string Segment, string LifecycleStage, long Customers, long Orders, long SpentMinor, long AverageAovMinor);

namespace GrowthOs.Transform.Api;

/// <summary>
/// An e-mail of the period: its kind (flow or campaign), its flow's or campaign's name, its own, whether it is transactional, and its figures.
/// </summary>
public sealed record EmailMessageFigures(string Kind, string MessageId, string? ParentName, string? MessageName, bool Transactional, long Recipients,
    long Delivered, long Opens, long Clicks, long Unsubscribes, long Bounces, long RevenueMinor);

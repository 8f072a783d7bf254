namespace GrowthOs.Transform.Loading;

public sealed record LoadSummary(long Orders, long LineItems, long Rejected, long Lines, DateTimeOffset? MaxUpdatedAt, DateOnly? FirstOrderDate,
    DateOnly? LastOrderDate, long Records = 0);

namespace GrowthOs.Transform.Marketing;

/// <summary>What one load of a manifest wrote, and the first rows it left out with their reasons.</summary>
public sealed record MarketingLoad(long Rows, long Rejected, DateOnly Since, DateOnly Until, DateOnly? FirstDate, DateOnly? LastDate,
    IReadOnlyList<string> RejectedExamples);

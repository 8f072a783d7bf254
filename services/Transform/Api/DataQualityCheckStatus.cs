namespace GrowthOs.Transform.Api;

/// <summary>A data-quality check's latest outcome for a shop: what it means, how severe a failure is, how many rows broke it.</summary>
public sealed record DataQualityCheckStatus(
    string Check,
    string? Description,
    string Severity,
    long Violations,
    bool Passed,
    DateTimeOffset CheckedAt,
    Guid? RunId);

namespace GrowthOs.Contracts.Telemetry;

/// <summary>
/// A sync run entered or left a step. <paramref name="Status"/> is one of <see cref="StepStatuses"/>;
/// <paramref name="Step"/> one of <see cref="SyncSteps"/>; <paramref name="Entity"/> names the entity an extraction step
/// works on (null for the run's own steps).
/// </summary>
public record SyncStepChanged(
    Guid RunId,
    string ShopDomain,
    string JobType,
    string Step,
    string Status,
    DateTimeOffset OccurredAt,
    IReadOnlyDictionary<string, long> Counts,
    string? Error,
    string? Entity = null);

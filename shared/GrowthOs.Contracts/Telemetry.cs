namespace GrowthOs.Contracts.Telemetry;

/// <summary>
/// A sync run entered or left a step. <paramref name="Status"/> is <c>started</c>, <c>succeeded</c> or <c>failed</c>;
/// <paramref name="Step"/> is one of initiated, requested, polling, downloading, upserting, transforming, completed, partial,
/// failed; <paramref name="Entity"/> names the entity an extraction step works on (null for the run's own steps).
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

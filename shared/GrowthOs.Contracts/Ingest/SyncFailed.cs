namespace GrowthOs.Contracts.Ingest;

/// <summary>The run stopped at <paramref name="Step"/>; nothing after that step was applied.</summary>
public record SyncFailed(
    Guid RunId,
    string ShopDomain,
    string Step,
    string Reason,
    DateTimeOffset FailedAt);

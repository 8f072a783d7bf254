namespace GrowthOs.Contracts.Ingest;

/// <summary>A sync of one shop was asked for, by the daily schedule (<c>cron</c>) or by a person (<c>user</c>).</summary>
public record SyncRequested(
    Guid RunId,
    string ShopDomain,
    string Initiator,
    DateTimeOffset RequestedAt,
    IReadOnlyList<string> Entities);

namespace GrowthOs.Contracts.Ingest;

/// <summary>
/// Re-read every order of <paramref name="ShopDomain"/> created from <paramref name="From"/> to <paramref name="To"/> (UTC
/// dates, inclusive), whatever the watermark; with <paramref name="UpdatedSince"/>, only those of them updated since
/// then (the gap a watermark older than the floor left, see <see cref="SyncGapFound"/>).
/// </summary>
public record BackfillRequested(
    Guid RunId,
    string ShopDomain,
    DateOnly From,
    DateOnly To,
    DateTimeOffset RequestedAt,
    DateTimeOffset? UpdatedSince = null);

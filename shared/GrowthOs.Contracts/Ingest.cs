namespace GrowthOs.Contracts.Ingest;

/// <summary>A sync of one shop was asked for, by the daily schedule (<c>cron</c>) or by a person (<c>user</c>).</summary>
public record SyncRequested(
    Guid RunId,
    string ShopDomain,
    string Initiator,
    DateTimeOffset RequestedAt,
    IReadOnlyList<string> Entities);

/// <summary>
/// Every step of the run succeeded. <paramref name="Partial"/>: Shopify's operation failed part-way and only its
/// partial data was loaded; the watermark did not move. <paramref name="JobType"/> says which kind of run it was
/// (DAILY_SYNC, FULL_BACKFILL_EXECUTE, REPLAY).
/// </summary>
public record SyncCompleted(
    Guid RunId,
    string ShopDomain,
    long OrdersUpserted,
    long LineItemsUpserted,
    DateTimeOffset? UpdatedThrough,
    DateTimeOffset CompletedAt,
    bool Partial = false,
    string? JobType = null);

/// <summary>The run stopped at <paramref name="Step"/>; nothing after that step was applied.</summary>
public record SyncFailed(
    Guid RunId,
    string ShopDomain,
    string Step,
    string Reason,
    DateTimeOffset FailedAt);

/// <summary>Re-ingest an archived bulk JSONL of <paramref name="Entity"/> through the upsert and transform steps, without calling Shopify.</summary>
public record ReplayRequested(
    Guid RunId,
    string ShopDomain,
    string Entity,
    string ArchiveKey,
    DateTimeOffset RequestedAt);

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

/// <summary>
/// A daily sync found the shop's <paramref name="Entity"/> watermark older than the floor it reads back to: the changes
/// from <paramref name="GapFrom"/> (the watermark minus the lookback) to <paramref name="Floor"/> were not read by it.
/// Backfill run <paramref name="BackfillRunId"/> reads them; the gap is filled when that run completes whole.
/// </summary>
public record SyncGapFound(
    Guid RunId,
    string ShopDomain,
    string Entity,
    DateTimeOffset GapFrom,
    DateTimeOffset Floor,
    Guid BackfillRunId,
    DateTimeOffset FoundAt);

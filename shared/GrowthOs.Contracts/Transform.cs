namespace GrowthOs.Contracts.Transform;

/// <summary>
/// Upsert the records of an archived bulk JSONL of <paramref name="Entity"/> into the commerce tables, <paramref name="ChunkSize"/> records a
/// transaction (null: the service's default). <paramref name="CompleteAsOf"/> is set when the file is a whole
/// extraction of the shop's inventory, asked for at that moment: inventory items and levels of the shop absent from the
/// file and not updated since are then removed (an item deleted, a location no longer stocked).
/// </summary>
public record UpsertArchivedRecords(
    Guid RunId,
    string ShopDomain,
    string Entity,
    string ArchiveKey,
    int? ChunkSize = null,
    DateTimeOffset? CompleteAsOf = null);

/// <summary>
/// The archived file <paramref name="ArchiveKey"/> of <paramref name="Entity"/> is loaded. <paramref name="Records"/>
/// counts every record upserted, whatever its type; <paramref name="MaxUpdatedAt"/> is the newest <c>updatedAt</c> of its
/// root records; the order dates are those of the orders it held (null for another entity).
/// </summary>
public record ArchivedRecordsUpserted(
    Guid RunId,
    string ShopDomain,
    string Entity,
    string ArchiveKey,
    long Records,
    long Orders,
    long LineItems,
    long Rejected,
    DateTimeOffset? MaxUpdatedAt,
    DateOnly? FirstOrderDate,
    DateOnly? LastOrderDate);

/// <summary>Rebuild the marts of <paramref name="ShopDomain"/> for the given UTC dates (inclusive).</summary>
public record RefreshMarts(
    Guid RunId,
    string ShopDomain,
    DateOnly From,
    DateOnly To);

/// <summary>
/// Run <paramref name="Pipeline"/> (or every one, <c>all</c>) for the shop's reporting days <paramref name="From"/> to
/// <paramref name="To"/> (inclusive), on demand: each pipeline's execution is logged under <paramref name="RunId"/>.
/// <paramref name="ShopDomain"/> is <c>*</c> for <c>rolling_30d</c>, which rebuilds every shop.
/// </summary>
public record RunPipelines(
    Guid RunId,
    string ShopDomain,
    string Pipeline,
    DateOnly From,
    DateOnly To);

public record MartsRefreshed(
    Guid RunId,
    string ShopDomain,
    int DaysRefreshed);

/// <summary>A Transform step failed; <paramref name="Step"/> is <c>upserting</c> (of <paramref name="ArchiveKey"/>) or <c>transforming</c>.</summary>
public record TransformFailed(
    Guid RunId,
    string ShopDomain,
    string Step,
    string Reason,
    string? ArchiveKey = null);

/// <summary>
/// How far the load of one archived file of a run has committed, as the Transform answers
/// <c>GET /api/etl/loads/{runId}</c> (snake_case JSON): updated with every chunk committed, so a long load shows its
/// progress while it runs. <paramref name="ShareRead"/> is <paramref name="BytesRead"/> of <paramref name="FileBytes"/>
/// (0 to 1), null when the file's size is unknown.
/// </summary>
public record LoadProgress(
    string ArchiveKey,
    long RecordsCommitted,
    long OrdersCommitted,
    long LineItemsCommitted,
    long Rejected,
    long LinesCommitted,
    long BytesRead,
    long? FileBytes,
    double? ShareRead,
    int ChunkSize,
    DateTimeOffset UpdatedAt);

/// <summary>
/// The data-quality checks of run <paramref name="RunId"/> (the commerce ones after a sync's marts, the marketing ones
/// after a marketing run's) were run at <paramref name="CheckedAt"/>.
/// </summary>
public record DataQualityChecked(
    Guid RunId,
    string ShopDomain,
    DateTimeOffset CheckedAt,
    IReadOnlyList<DataQualityResult> Results);

/// <summary>One check: its name, <c>critical</c> or <c>warning</c>, and the rows that violate it (it passes with none).</summary>
public record DataQualityResult(
    string Check,
    string Severity,
    long Violations,
    bool Passed);

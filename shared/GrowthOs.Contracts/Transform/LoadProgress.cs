namespace GrowthOs.Contracts.Transform;

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

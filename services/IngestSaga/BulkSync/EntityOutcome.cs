namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>
/// One entity of a run, done: <see cref="EntityStatus"/>, its archive, and what it loaded; for one skipped or failed,
/// why (<paramref name="Error"/>) and at which step (<paramref name="Step"/>).
/// </summary>
public sealed record EntityOutcome(string Entity, string Status, string? ArchiveKey, long Lines, long Records, DateTimeOffset? MaxUpdatedAt, string? Error,
    string? Step = null);

using System.Text.Json.Serialization;

namespace GrowthOs.IngestSaga.Replay;

/// <summary>
/// The answer of <c>POST /api/ingest/replay</c>: the run requested, the archive it replays, and where to follow it; with the
/// marketing source it replays, for a marketing replay (absent for Shopify's).
/// </summary>
public sealed record ReplayAccepted(
    Guid RunId,
    string Shop,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Source,
    string ArchiveKey,
    string StatusUrl);

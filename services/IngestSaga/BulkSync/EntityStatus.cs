namespace GrowthOs.IngestSaga.BulkSync;

/// <summary>What became of an entity of a run.</summary>
public static class EntityStatus
{
    /// <summary>Extracted and loaded whole.</summary>
    public const string Loaded = "loaded";

    /// <summary>Shopify's operation failed part-way; its partial data was loaded.</summary>
    public const string Partial = "partial";

    /// <summary>Not extracted: the token lacks the entity's scope (ACCESS_DENIED).</summary>
    public const string Skipped = "skipped";

    /// <summary>Its extraction or its load failed (the reason is kept); the run went on with the other entities.</summary>
    public const string Failed = "failed";
}

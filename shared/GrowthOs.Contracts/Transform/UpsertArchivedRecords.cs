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

namespace GrowthOs.Contracts.Transform;

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

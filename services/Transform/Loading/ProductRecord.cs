namespace GrowthOs.Transform.Loading;

public sealed record ProductRecord(
    long ProductId,
    string Title,
    string? Vendor,
    string? ProductType,
    string? Status,
    DateTimeOffset? CreatedAt,
    DateTimeOffset UpdatedAt);

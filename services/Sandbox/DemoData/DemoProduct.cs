namespace GrowthOs.Sandbox.DemoData;

public sealed record DemoProduct(
    long Id,
    string Title,
    string Vendor,
    string ProductType,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<DemoVariant> Variants);

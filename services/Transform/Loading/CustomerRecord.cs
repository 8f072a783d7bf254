namespace GrowthOs.Transform.Loading;

/// <summary>A customer without personal data: the e-mail address is kept only as its SHA-256.</summary>
public sealed record CustomerRecord(
    long CustomerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long NumberOfOrders,
    long AmountSpentMinor,
    string? CurrencyCode,
    string? State,
    string? EmailSha256);

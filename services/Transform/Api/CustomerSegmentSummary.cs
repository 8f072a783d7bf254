namespace GrowthOs.Transform.Api;

/// <summary>
/// The answer of <c>GET /api/dashboard/customer-segments</c>: the shop's customers by segment and by lifecycle stage
/// (customers per stage), and each segment and stage's row; spend in minor units of <see cref="CurrencyCode"/>.
/// </summary>
public sealed record CustomerSegmentSummary(
    string Shop,
    DateOnly? AsOfDate,
    string? CurrencyCode,
    long Customers,
    IReadOnlyList<CustomerSegment> Segments,
    IReadOnlyDictionary<string, long> Lifecycle,
    IReadOnlyList<CustomerSegmentRow> Rows);

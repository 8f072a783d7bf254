namespace GrowthOs.Transform.Loading;

public sealed record FulfillmentRecord(long FulfillmentId, long OrderId, string? Status, DateTimeOffset CreatedAt, DateTimeOffset OrderUpdatedAt);

namespace GrowthOs.Transform.Api;

/// <summary>A refund of an order: when, and how much in minor units.</summary>
public sealed record OrderDetailRefund(long RefundId, DateTimeOffset CreatedAt, long AmountMinor, string CurrencyCode);

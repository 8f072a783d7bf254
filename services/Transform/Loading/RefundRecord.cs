namespace GrowthOs.Transform.Loading;

/// <summary>A refund of an order, counted on its own date; the amount is <c>totalRefundedSet.shopMoney</c>.</summary>
public sealed record RefundRecord(long RefundId, long OrderId, DateTimeOffset CreatedAt, long AmountMinor, string CurrencyCode, DateTimeOffset OrderUpdatedAt);

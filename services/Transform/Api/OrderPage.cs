namespace GrowthOs.Transform.Api;

/// <summary>
/// The answer of <c>GET /orders</c>: a page of orders, the newest first. <see cref="NextAfter"/> is the position after the
/// last (null on the last page), passed as <c>after</c> for the next; <see cref="Page"/> and <see cref="Total"/> are null
/// on a page read by <c>after</c>.
/// </summary>
public sealed record OrderPage(IReadOnlyList<OrderSummary> Items, int? Page, int PageSize, long? Total, string? NextAfter);

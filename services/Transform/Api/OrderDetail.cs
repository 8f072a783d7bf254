using System.Text.Json.Serialization;

namespace GrowthOs.Transform.Api;

/// <summary>The answer of <c>GET /orders/{id}</c>: the order, then its lines, refunds and fulfillments.</summary>
public sealed record OrderDetail : OrderSummary
{
    public OrderDetail(OrderSummary order, IReadOnlyList<OrderDetailLine> lineItems, IReadOnlyList<OrderDetailRefund> refunds,
        IReadOnlyList<OrderDetailFulfillment> fulfillments)
        : base(order)
    {
        LineItems = lineItems;
        Refunds = refunds;
        Fulfillments = fulfillments;
    }

    [JsonPropertyOrder(1)]
    public IReadOnlyList<OrderDetailLine> LineItems { get; }

    [JsonPropertyOrder(2)]
    public IReadOnlyList<OrderDetailRefund> Refunds { get; }

    [JsonPropertyOrder(3)]
    public IReadOnlyList<OrderDetailFulfillment> Fulfillments { get; }
}

namespace GrowthOs.Sandbox.DemoData;

/// <summary>
/// A payment transaction of an order as Shopify's <c>OrderTransaction</c> tells it: its kind (SALE, AUTHORIZATION, VOID,
/// REFUND), status, gateway, amount in the shop's currency, and the processor's fees charged on it.
/// </summary>
public sealed record DemoTransaction(long Id, string Kind, string Status, string Gateway, DateTimeOffset ProcessedAt, decimal Amount,
    IReadOnlyList<DemoTransactionFee> Fees);

namespace GrowthOs.Sandbox.DemoData;

/// <summary>A fee Shopify Payments charged on a transaction (<c>TransactionFee</c>): the rate and flat part, and their sum.</summary>
public sealed record DemoTransactionFee(long Id, decimal Amount, decimal FlatFee, string FlatFeeName, decimal Rate, string RateName, string Type);

namespace GrowthOs.Sandbox.Shopify.GraphQl;

public sealed record MoneyValue(decimal Amount, string CurrencyCode);

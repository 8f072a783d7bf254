namespace GrowthOs.Sandbox.DemoData;

/// <summary>A customer as Shopify reports it; the e-mail address is personal data that the Connector hashes before anything keeps it.</summary>
public sealed record DemoCustomer(long Id, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int NumberOfOrders, decimal AmountSpent, string CurrencyCode,
    string State, string Email);

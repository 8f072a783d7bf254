namespace GrowthOs.Contracts.Sales;

/// <summary>A customer's orders on a day, and the reporting day of its first counted order.</summary>
public record CustomerOrders(long CustomerId, int Orders, DateOnly FirstOrderDate);

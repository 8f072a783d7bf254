namespace GrowthOs.Connector.Shopify;

public sealed record QueryCost(double RequestedQueryCost, double ActualQueryCost, double MaximumAvailable, double CurrentlyAvailable, double RestoreRate);

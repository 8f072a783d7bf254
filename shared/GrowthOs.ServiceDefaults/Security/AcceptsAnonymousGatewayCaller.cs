namespace GrowthOs.ServiceDefaults.Security;

/// <summary>
/// Marks an endpoint that acts for a caller the gateway let in without a key (Shopify's webhooks, which the gateway
/// authenticates by their own signature): every other action needs an operator's role or more.
/// </summary>
public sealed class AcceptsAnonymousGatewayCaller;

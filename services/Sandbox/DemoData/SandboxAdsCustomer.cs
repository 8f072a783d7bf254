namespace GrowthOs.Sandbox.DemoData;

public sealed class SandboxAdsCustomer
{
    /// <summary>The customer id, ten digits without dashes.</summary>
    public string Id { get; set; } = "";

    /// <summary>The OAuth access token the customer's user has granted.</summary>
    public string AccessToken { get; set; } = "";

    /// <summary>A manager account the customer is reached through: then login-customer-id must name it.</summary>
    public string? ManagerId { get; set; }

    public string Shop { get; set; } = "";

    /// <summary>A refresh token of the Sandbox's OAuth client, for which the token endpoint issues access tokens of this customer.</summary>
    public string? RefreshToken { get; set; }

    /// <summary>The customer's time zone, as <c>customer.time_zone</c> answers it.</summary>
    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>Failures, for tests: <c>QUOTA:n</c> (RESOURCE_EXHAUSTED with a retryDelay, the first n queries), <c>INTERNAL:n</c>.</summary>
    public List<string> Failures { get; set; } = [];
}

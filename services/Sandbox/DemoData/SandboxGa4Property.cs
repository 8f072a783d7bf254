namespace GrowthOs.Sandbox.DemoData;

public sealed class SandboxGa4Property
{
    /// <summary>The property id, digits only (the API names it properties/{id}).</summary>
    public string Id { get; set; } = "";

    /// <summary>The OAuth access token of a user or service account the property is shared with.</summary>
    public string AccessToken { get; set; } = "";

    public string Shop { get; set; } = "";

    /// <summary>A refresh token of the Sandbox's OAuth client, for which the token endpoint issues access tokens of this property.</summary>
    public string? RefreshToken { get; set; }

    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>
    /// Failures, for tests: <c>QUOTA_HOURLY:n</c>, <c>QUOTA_DAILY:n</c>, <c>CONCURRENT:n</c> (429 RESOURCE_EXHAUSTED, the
    /// first n reports), <c>PERMISSION_DENIED</c> (403), <c>TOKENS_LOW</c> (the property's hourly tokens nearly used up),
    /// <c>INTERNAL:n</c> (500), <c>METADATA_EMPTY</c> and <c>NO_CURRENCY</c> (a report whose <c>metadata</c> says no currency).
    /// </summary>
    public List<string> Failures { get; set; } = [];
}

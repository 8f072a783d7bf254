namespace GrowthOs.Sandbox.DemoData;

/// <summary>A Klaviyo account of a demo shop, reached with its private API key.</summary>
public sealed class SandboxKlaviyoAccount
{
    /// <summary>The account's public API key (its site id), which also names it.</summary>
    public string Id { get; set; } = "";

    /// <summary>The private API key (<c>pk_…</c>) the account's API is called with.</summary>
    public string PrivateKey { get; set; } = "";

    public string Shop { get; set; } = "";

    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>Failures, for tests: <c>THROTTLED:n</c> (429 with <c>Retry-After</c>, the first n calls), <c>SERVER_ERROR:n</c> (500).</summary>
    public List<string> Failures { get; set; } = [];
}

namespace GrowthOs.Sandbox.DemoData;

public sealed class SandboxAdAccount
{
    /// <summary>The ad account's id, digits only (the API names it act_{id}).</summary>
    public string Id { get; set; } = "";

    public string AccessToken { get; set; } = "";

    /// <summary>A short-lived user token of the account's person: exchanged (<c>fb_exchange_token</c>) for <see cref="AccessToken"/>.</summary>
    public string? ShortLivedToken { get; set; }

    /// <summary>The account's name as Meta answers it (by default the shop's name and "ads").</summary>
    public string? Name { get; set; }

    /// <summary>The demo shop whose sales the account's ads are drawn from; the account's currency is the shop's.</summary>
    public string Shop { get; set; } = "";

    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>
    /// Failures this account answers with, for tests: <c>RATE_LIMIT_80000:n</c>, <c>RATE_LIMIT_17:n</c>,
    /// <c>RATE_LIMIT_4:n</c>, <c>RATE_LIMIT_613:n</c>, <c>TRANSIENT_2:n</c> (the first n calls), <c>TOKEN_EXPIRED</c>,
    /// <c>USAGE_NEAR</c> (usage headers at 95 %), <c>TOO_MUCH_DATA:days</c> (a range longer than that many days is refused
    /// with code 1, read or reported), <c>PAGE_LIMIT:rows</c> (a page after the first with a larger <c>limit</c> is refused
    /// with code 1), <c>ASYNC_FAILED</c>, <c>ASYNC_SKIPPED</c>.
    /// </summary>
    public List<string> Failures { get; set; } = [];
}

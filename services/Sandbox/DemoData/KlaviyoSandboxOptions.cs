using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Sandbox.DemoData;

public sealed class KlaviyoSandboxOptions
{
    public List<SandboxKlaviyoAccount> Accounts { get; set; } = [];

    /// <summary>The Reporting API's steady limit per account and minute (Klaviyo: 2); its burst is 1 a second.</summary>
    [Range(1, 10_000)]
    public int ReportsPerMinute { get; set; } = 2;

    /// <summary>The Reporting API's daily limit per account (Klaviyo: 225).</summary>
    [Range(1, 1_000_000)]
    public int ReportsPerDay { get; set; } = 225;
}

using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Sandbox.DemoData;

public sealed class MetaSandboxOptions
{
    public List<SandboxAdAccount> AdAccounts { get; set; } = [];

    /// <summary>The app the accounts' tokens were issued to, as Meta names it in a revoked token's error and takes it in a token exchange.</summary>
    public string AppId { get; set; } = "1029384756102938";

    /// <summary>The app's secret: a token exchange (<c>fb_exchange_token</c>) with another is refused.</summary>
    public string AppSecret { get; set; } = "sandbox-meta-app-secret";

    /// <summary>How long a long-lived token lasts, as a token exchange answers it (Meta: about 60 days).</summary>
    [Range(1, 100 * 86_400)]
    public int LongLivedTokenSeconds { get; set; } = 5_183_944;

    /// <summary>How long an asynchronous insights report takes to complete.</summary>
    [Range(0, 3_600_000)]
    public int ReportDurationMilliseconds { get; set; } = 2_000;

    /// <summary>Calls an ad account may make in an hour before its usage reaches 100 % and Meta throttles it (code 80000).</summary>
    [Range(1, 1_000_000)]
    public int CallsPerHour { get; set; } = 200;
}

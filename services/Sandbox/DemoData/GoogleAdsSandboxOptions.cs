using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Sandbox.DemoData;

public sealed class GoogleAdsSandboxOptions
{
    public List<SandboxAdsCustomer> Customers { get; set; } = [];

    /// <summary>Rows in each batch of a searchStream answer.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 1_000;

    /// <summary>Operations a day (a query counts as one) before RESOURCE_EXHAUSTED, as Basic access allows.</summary>
    [Range(1, 1_000_000)]
    public int DailyOperations { get; set; } = 15_000;
}

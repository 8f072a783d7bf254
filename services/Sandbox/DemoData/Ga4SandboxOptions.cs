using System.ComponentModel.DataAnnotations;

namespace GrowthOs.Sandbox.DemoData;

public sealed class Ga4SandboxOptions
{
    public List<SandboxGa4Property> Properties { get; set; } = [];

    /// <summary>A standard property's quotas (GA4's own figures): tokens a day and an hour, requests at once.</summary>
    [Range(1, 100_000_000)]
    public int TokensPerDay { get; set; } = 200_000;

    [Range(1, 100_000_000)]
    public int TokensPerHour { get; set; } = 40_000;

    [Range(1, 1_000)]
    public int ConcurrentRequests { get; set; } = 10;
}

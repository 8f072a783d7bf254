using System.Text.Json.Serialization;

namespace GrowthOs.Transform.Api;

/// <summary>
/// The customers whose first counted order fell in <see cref="Month"/> (the shop's reporting days), or in that month and
/// <see cref="Segment"/> (their first order's sales channel, when split by it), and what they have been worth since.
/// <see cref="NewCustomersOfMonth"/> counts every new customer of the month, filters aside; the month's
/// <see cref="AdSpendMinor"/> over them is the cohort's <see cref="CacMinor"/> (blended: ad spend is not attributed to a
/// channel or product). LTV:CAC is the gross profit per customer at 90 and 365 days over the CAC; the payback month the
/// first month by whose end the gross profit per customer covered the CAC. A cohort whose twelfth month or 365 days have
/// not ended is <see cref="Maturing"/>.
/// </summary>
public sealed record Cohort(
    DateOnly Month,
    string? Segment,
    long Customers,
    long NewCustomersOfMonth,
    long AdSpendMinor,
    long? CacMinor,
    [property: JsonPropertyName("repeat_rate_90d")] decimal? RepeatRate90d,
    IReadOnlyList<CohortMonth> Months,
    IReadOnlyList<CohortWindow> Windows,
    [property: JsonPropertyName("ltv_to_cac_90d")] decimal? LtvToCac90d,
    [property: JsonPropertyName("ltv_to_cac_365d")] decimal? LtvToCac365d,
    int? PaybackMonth,
    bool Maturing);

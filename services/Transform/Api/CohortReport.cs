namespace GrowthOs.Transform.Api;

/// <summary>
/// The answer of <c>GET /api/cohorts</c>: the cohorts of the customers whose first order fell from <see cref="From"/>
/// (the first day of its month) to <see cref="To"/>, split by <see cref="By"/> (<c>none</c> or <c>channel</c>) and
/// filtered by the first order's sales channel, product and discount code when given; money in minor units of
/// <see cref="CurrencyCode"/>.
/// </summary>
public sealed record CohortReport(
    string Shop,
    DateOnly From,
    DateOnly To,
    DateOnly Today,
    string By,
    string? Channel,
    long? Product,
    string? DiscountCode,
    string? CurrencyCode,
    IReadOnlyList<Cohort> Cohorts);

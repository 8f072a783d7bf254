namespace GrowthOs.Contracts.Transform;

/// <summary>
/// Run <paramref name="Pipeline"/> (or every one, <c>all</c>) for the shop's reporting days <paramref name="From"/> to
/// <paramref name="To"/> (inclusive), on demand: each pipeline's execution is logged under <paramref name="RunId"/>.
/// <paramref name="ShopDomain"/> is <c>*</c> for <c>rolling_30d</c>, which rebuilds every shop.
/// </summary>
public record RunPipelines(
    Guid RunId,
    string ShopDomain,
    string Pipeline,
    DateOnly From,
    DateOnly To);

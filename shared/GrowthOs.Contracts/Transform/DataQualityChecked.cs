namespace GrowthOs.Contracts.Transform;

/// <summary>
/// The data-quality checks of run <paramref name="RunId"/> (the commerce ones after a sync's marts, the marketing ones
/// after a marketing run's) were run at <paramref name="CheckedAt"/>.
/// </summary>
public record DataQualityChecked(
    Guid RunId,
    string ShopDomain,
    DateTimeOffset CheckedAt,
    IReadOnlyList<DataQualityResult> Results);

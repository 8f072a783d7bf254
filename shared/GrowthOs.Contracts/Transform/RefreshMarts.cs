namespace GrowthOs.Contracts.Transform;

/// <summary>Rebuild the marts of <paramref name="ShopDomain"/> for the given UTC dates (inclusive).</summary>
public record RefreshMarts(
    Guid RunId,
    string ShopDomain,
    DateOnly From,
    DateOnly To);

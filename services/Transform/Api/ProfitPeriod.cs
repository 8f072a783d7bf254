namespace GrowthOs.Transform.Api;

/// <summary>A period's profit figures, the currency they are in (null when the shop has no orders yet), and its days.</summary>
public sealed record ProfitPeriod(ProfitFigures Figures, string? CurrencyCode, IReadOnlyList<ProfitDay> Days);

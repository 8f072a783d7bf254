namespace GrowthOs.Transform.Api;

/// <summary>
/// The answer of <c>GET /api/profit</c>: the period's profit figures beside the period of the same length before, and
/// each figure's change (relative: 0.1 is 10 % up; null when the previous figure is zero or unknown), and the period's
/// days.
/// </summary>
public sealed record ProfitReport(
    string Shop,
    DateOnly From,
    DateOnly To,
    DateOnly PreviousFrom,
    DateOnly PreviousTo,
    string? CurrencyCode,
    ProfitFigures Current,
    ProfitFigures Previous,
    IReadOnlyDictionary<string, decimal?> Change,
    IReadOnlyList<ProfitDay> Days);

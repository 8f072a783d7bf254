namespace GrowthOs.Transform.Api;

/// <summary>The answer of <c>GET /api/dashboard/marketing</c>: the period's totals and each day's figures, in <see cref="CurrencyCode"/>.</summary>
public sealed record MarketingDashboard(string Shop, DateOnly From, DateOnly To, string? CurrencyCode, MarketingFigures Totals,
    IReadOnlyList<MarketingDashboardDay> Days);

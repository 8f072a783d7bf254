namespace GrowthOs.Transform.Api;

/// <summary>One reporting day of <see cref="MarketingDashboard"/>.</summary>
public sealed record MarketingDashboardDay(DateOnly Date, MarketingFigures Figures);

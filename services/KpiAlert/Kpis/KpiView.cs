namespace GrowthOs.KpiAlert.Kpis;

/// <summary>
/// A KPI as every answer that carries one shows it: its kind (money in minor units, a count or a ratio), which way is
/// better (null when neither), its value, the previous period's, and the change between them (null without both).
/// </summary>
public sealed record KpiView(string Name, string Kind, string? Better, decimal? Value, decimal? Previous, decimal? Change);

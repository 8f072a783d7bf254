namespace GrowthOs.KpiAlert.Kpis;

/// <summary>A KPI of a period beside the period before of the same length, and the change as a decimal (0.1 is up 10 %).</summary>
public sealed record Kpi(string Name, string Kind, decimal? Value, decimal? Previous, decimal? Change);

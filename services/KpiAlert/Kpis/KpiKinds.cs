namespace GrowthOs.KpiAlert.Kpis;

/// <summary>What a KPI's number is: money in minor units of the shop's currency, a count, or a ratio (0.15 is 15 %).</summary>
public static class KpiKinds
{
    public const string Money = "money";
    public const string Count = "count";
    public const string Ratio = "ratio";
}

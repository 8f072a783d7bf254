namespace GrowthOs.KpiAlert.Alerts;

public static class Severities
{
    public const string Critical = "critical";
    public const string Warning = "warning";
    public const string Info = "info";
}

namespace GrowthOs.Contracts.Connections;

/// <summary>The services that hold rows or archived objects of a shop: each answers a purge with <see cref="ShopPurged"/>.</summary>
public static class PurgeServices
{
    public const string Connector = "connector";
    public const string IngestSaga = "ingest-saga";
    public const string Transform = "transform";
    public const string KpiAlert = "kpi-alert";
    public const string Gateway = "api-gateway";

    public static IReadOnlyList<string> All { get; } = [Connector, IngestSaga, Transform, KpiAlert, Gateway];
}

namespace GrowthOs.Transform.Marts;

public static class Pipelines
{
    public const string SalesPulse = "sales_pulse";
    public const string StarSchema = "star_schema";
    public const string InventorySnapshot = "inventory_snapshot";
    public const string CustomerSegmentation = "customer_segmentation";
    public const string UsageDaily = "usage_daily";
    public const string Rolling30d = "rolling_30d";
    public const string Measurements = "measurements";
    public const string DataQuality = "data_quality";
    public const string Marketing = "marketing";
}

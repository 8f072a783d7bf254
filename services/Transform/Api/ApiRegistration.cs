namespace GrowthOs.Transform.Api;

public static class ApiRegistration
{
    /// <summary>The Transform's reads (dashboards, orders, pipelines, data quality) and its on-demand pipeline runs.</summary>
    public static WebApplication MapTransformApi(this WebApplication app)
    {
        app.MapShops();
        app.MapSalesPulse();
        app.MapDashboards();
        app.MapMarketing();
        app.MapEmail();
        app.MapProfit();
        app.MapCohorts();
        app.MapOrders();
        app.MapEtlStatus();
        app.MapLoadProgress();
        app.MapPipelineRuns();
        app.MapDataQuality();
        return app;
    }
}

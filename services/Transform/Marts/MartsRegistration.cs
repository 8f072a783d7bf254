using GrowthOs.ServiceDefaults.Connections;
using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.Transform.Marts;

public static class MartsRegistration
{
    /// <summary>The refreshers of the marts, the pipeline runner and its log, the data-quality checks, the weekly rebuild.</summary>
    public static WebApplicationBuilder AddMarts(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<MartsOptions>(MartsOptions.Section);
        builder.AddShopConnections();
        builder.Services.UseReportingTimeZones<MartsOptions>((options, zones) => options.TimeZones = zones);
        builder.Services.AddSingleton<EtlExecutionLog>().AddSingleton<DataQualityRunner>();
        builder.Services.AddSingleton<DailySalesRefresher>().AddSingleton<StarSchemaRefresher>().AddSingleton<InventorySnapshotRefresher>()
            .AddSingleton<CustomerSegmentRefresher>().AddSingleton<UsageDailyRefresher>().AddSingleton<Rolling30dRefresher>()
            .AddSingleton<MeasurementRefresher>()
            .AddSingleton<PipelineRunner>();
        builder.Services.AddHostedService<WeeklyRollingStats>();
        return builder;
    }
}

using GrowthOs.ServiceDefaults.Hosting;

namespace GrowthOs.KpiAlert.Analytics;

public static class AnalyticsRegistration
{
    /// <summary>The analytics reads: the commerce overview, the pipelines' health, a run's evidence.</summary>
    public static WebApplicationBuilder AddAnalytics(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AnalyticsOptions>(AnalyticsOptions.Section);
        builder.Services.AddSingleton<AnalyticsStore>();
        return builder;
    }
}
